from . import compat_tests  # before queue_job.tests.common is imported
from . import test_queue_job
