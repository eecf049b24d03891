from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hub.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        from hub.jobs import receivers  # noqa: F401  (connects signal receivers)
        from hub.jobs.filters import filters_register
        from hub.jobs.invariants import RUNS
        from hub.jobs.models import Run
        from hub.ops.metrics import job_run_model_register
        from hub.storage.fsck import invariant_check_register

        for model in self.get_models():  # /metrics counts runs by state
            if issubclass(model, Run):
                job_run_model_register(model)
        filters_register()  # ?has_eval_results= on the catalog's lists
        invariant_check_register(RUNS)  # hub_fsck --invariants
