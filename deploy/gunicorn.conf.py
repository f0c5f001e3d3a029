"""gunicorn for one web node of the portal: ``gunicorn -c deploy/gunicorn.conf.py -b 127.0.0.1:8001 config.wsgi``.

Sized from the machine's cores: the portal's requests wait on PostgreSQL, the storage, clamd and the TSA more
than they compute, so each process runs threads (gthread). Override any value for one node with gunicorn's own
GUNICORN_CMD_ARGS (e.g. ``GUNICORN_CMD_ARGS="--workers 3 --threads 8"``). See docs/deployment.md for sizing.
"""

import multiprocessing

wsgi_app = "config.wsgi:application"
worker_class = "gthread"
# (2 x cores) + 1 processes, 4 threads each: a 2-core node serves 20 requests at once.
workers = multiprocessing.cpu_count() * 2 + 1
threads = 4
# One timeout for the node: above the slowest route class, a deposit (up to INTAKE_MAX_SUBMISSION_MB read from
# nginx's buffer, hashed, type-checked, then scanned by clamd: 18-25 s for 500 MB measured, CLAMD_TIMEOUT 120 s).
# Ordinary pages answer in well under a second; nginx cuts them earlier (proxy_read_timeout per location).
timeout = 180
graceful_timeout = 60  # a stop or reload lets running deposits finish
keepalive = 75  # longer than nginx's upstream keepalive_timeout (60 s): nginx, not gunicorn, closes idle links
# Restart each process after a while (bounded memory growth), not all at once.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto/-For are trusted only from nginx on this machine (a remote balancer: list its address).
forwarded_allow_ips = "127.0.0.1,::1"
# gunicorn's control socket has one default path per account: several nodes on one machine would share it.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
capture_output = True
# The workers' heartbeat files in memory, as gunicorn advises: a slow disk must not get workers killed.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - not a temporary file of ours
