"""Background jobs: long work (imports, bulk exports, recomputations) run on Celery workers
and recorded as ``Job`` rows with their progress, result file and error.

Apps register their kinds of job (``registry.register``) in ``AppConfig.ready()``; the
services enqueue, start, finish and fail jobs (audited); ``runner`` runs a job's steps in a
worker (or at once, in process, without a broker)."""
