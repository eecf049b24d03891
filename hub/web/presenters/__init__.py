"""Shapes the pages display, built from selectors (no rule lives here):
``checks`` (a commit's checks), ``facts`` (license terms, size, usage),
``sections`` (reviews, gate, lineage, moderation, evaluations) and
``model_page`` (the model page's whole context, assembled once)."""
