# Catalog search: description and full-text document, sort indexes, and
# (PostgreSQL only) GIN indexes for full text, trigram names and JSON lists.

import django.contrib.postgres.search
import django.db.models.functions.comparison
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# GIN indexes exist on PostgreSQL only; SQLite (the embedded default) filters
# those columns with a scan, which is fine at its scale.
POSTGRES_INDEXES = [
    (
        "modelrepo_search_gin",
        "CREATE INDEX IF NOT EXISTS modelrepo_search_gin "
        "ON catalog_modelrepo USING gin (search_vector)",
    ),
    (
        "modelrepo_name_trgm",
        "CREATE INDEX IF NOT EXISTS modelrepo_name_trgm "
        "ON catalog_modelrepo USING gin (name gin_trgm_ops)",
    ),
    (
        "modelrepo_tags_gin",
        "CREATE INDEX IF NOT EXISTS modelrepo_tags_gin "
        "ON catalog_modelrepo USING gin (tags jsonb_path_ops)",
    ),
    (
        "modelrepo_language_gin",
        "CREATE INDEX IF NOT EXISTS modelrepo_language_gin "
        "ON catalog_modelrepo USING gin (language jsonb_path_ops)",
    ),
    (
        "modelrepo_base_model_gin",
        "CREATE INDEX IF NOT EXISTS modelrepo_base_model_gin "
        "ON catalog_modelrepo USING gin (base_model jsonb_path_ops)",
    ),
]


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in POSTGRES_INDEXES:
        schema_editor.execute(sql)


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in POSTGRES_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill_search_documents(apps, schema_editor):
    # Existing repos get a document from their id and card metadata; the
    # card text is added by their next commit to main.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE catalog_modelrepo AS r SET search_vector = "
        "setweight(to_tsvector('english'::regconfig, n.name || ' ' || r.name || ' ' "
        "|| regexp_replace(n.name || ' ' || r.name, '[-_./]+', ' ', 'g')), 'A') "
        "FROM accounts_namespace AS n WHERE n.id = r.namespace_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("catalog", "0002_modelrepo_last_discussion_num_and_more"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="modelrepo",
            name="description",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="modelrepo",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.AddIndex(
            model_name="modelrepo",
            index=models.Index(
                models.OrderBy(models.F("trending_score"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="modelrepo_by_trending",
            ),
        ),
        migrations.AddIndex(
            model_name="modelrepo",
            index=models.Index(
                models.OrderBy(models.F("downloads"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="modelrepo_by_downloads",
            ),
        ),
        migrations.AddIndex(
            model_name="modelrepo",
            index=models.Index(
                models.OrderBy(models.F("likes"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="modelrepo_by_likes",
            ),
        ),
        migrations.AddIndex(
            model_name="modelrepo",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="modelrepo_by_created",
            ),
        ),
        migrations.AddIndex(
            model_name="modelrepo",
            index=models.Index(
                models.OrderBy(
                    django.db.models.functions.comparison.Coalesce(
                        "last_commit_at", "created_at"
                    ),
                    descending=True,
                ),
                models.OrderBy(models.F("id"), descending=True),
                name="modelrepo_by_updated",
            ),
        ),
        migrations.AddIndex(
            model_name="modelrepo",
            index=models.Index(
                condition=models.Q(is_private=True),
                fields=["id"],
                name="modelrepo_private",
            ),
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
    ]
