"""Run a parser on untrusted input in a child process bounded in CPU time and memory.

A hostile file (a PDF with millions of tiny objects, say) must not tie up a web worker or its memory. The
parent asks a fork server (``multiprocessing``'s forkserver: a clean single-threaded process started on first use,
with the parsers of :data:`PRELOAD` imported) for a child, and hands it the name of one of :data:`TARGETS`, its
arguments and the limits. The child limits itself with ``resource.setrlimit`` (``RLIMIT_CPU``: the CPU seconds it
may still spend; ``RLIMIT_AS``: the address space it may add to what the interpreter and its libraries already
map; no core files), calls the target and sends its answer back through a pipe. The parent also bounds the
wall-clock time (a child that sleeps or blocks is killed).

The caller learns: the target's return value; :class:`Verdict` when the target raised an exception carrying a
``code`` and ``params`` (the intake's refusals); :class:`LimitExceeded` (``resource`` is ``"cpu"`` or
``"memory"``) when a limit stopped it; :class:`Failed` on any other failure (fail closed).
"""

import importlib
import multiprocessing
import resource
import signal

# What the child may run: "module:function" (imported before the limits apply), and whether Django is set up.
TARGETS = {
    "intake.pdf": ("eservices.intake.pdf:check", False),
    "intake.xlsx": ("eservices.intake.xlsx:check", False),
    "intake.xls": ("eservices.intake.xls:check", False),
    "evidence.read_receipt": ("eservices.evidence.services:read_receipt", True),
}
# Imported once by the fork server (with Django set up and the targets imported: see sandbox_preload), so that
# each child starts with them loaded.
PARSERS = ["pikepdf", "olefile", "defusedxml.ElementTree", "zipfile"]
PRELOAD = ["eservices.core.sandbox_preload"]
WALL_FACTOR = 10  # wall-clock bound: this many times the CPU bound (a loaded machine), plus an allowance
START_UP_SECONDS = 10
_CONTEXT = None


class SandboxError(Exception):
    """Base of what :func:`run` raises."""


class Verdict(SandboxError):
    """The target refused its input: ``code`` and ``params`` as it raised them."""

    def __init__(self, code: str, params: dict):
        super().__init__(code)
        self.code = code
        self.params = params


class LimitExceeded(SandboxError):
    """The CPU time (``"cpu"``, the wall clock included) or the memory (``"memory"``) limit stopped the target."""

    def __init__(self, resource_name: str):
        super().__init__(resource_name)
        self.resource = resource_name


class Failed(SandboxError):
    """The target crashed or answered nothing usable."""


def _context():
    """The forkserver context: one clean, single-threaded server per web process, started on first use with the
    parsers already imported, forks each child (cheap; no interpreter start-up per file)."""
    global _CONTEXT  # noqa: PLW0603 - one server per process, started lazily
    if _CONTEXT is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        _CONTEXT = context
    return _CONTEXT


def run(target: str, *args, cpu_seconds: float, memory_bytes: int, settings_overrides: dict | None = None, **kwargs):
    """Call ``TARGETS[target]`` with picklable ``args``/``kwargs`` in a bounded child; return its (picklable)
    answer. ``settings_overrides`` are set on Django's settings in a child that sets Django up."""
    if target not in TARGETS:
        raise KeyError(f"sandbox: unknown target {target!r}")
    request = {
        "target": target,
        "args": args,
        "kwargs": kwargs,
        "cpu_seconds": cpu_seconds,
        "memory_bytes": memory_bytes,
        "settings": settings_overrides or {},
    }
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, request), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(cpu_seconds * WALL_FACTOR + START_UP_SECONDS):
            child.kill()
            raise LimitExceeded("cpu")  # it sleeps, blocks or is starved: the wall clock stops it
        try:
            answer = receiver.recv()
        except EOFError:
            answer = None
    finally:
        receiver.close()
        child.join()
    if answer is None:
        if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise LimitExceeded("cpu")
        if child.exitcode == -signal.SIGABRT:  # a C++ library aborting, in practice on std::bad_alloc
            raise LimitExceeded("memory")
        raise Failed(f"{target}: exit {child.exitcode}")
    if "result" in answer:
        return answer["result"]
    if "limit" in answer:
        raise LimitExceeded(answer["limit"])
    if "code" in answer:
        raise Verdict(answer["code"], answer.get("params") or {})
    raise Failed(f"{target}: {answer.get('error', 'no answer')}")


def _address_space():
    """The bytes the process maps now (VmSize)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _limit(cpu_seconds, memory_bytes):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))  # SIGXCPU at soft, SIGKILL at hard
    memory = _address_space() + int(memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(connection, request):
    """In the forked child: import the target, limit the process, call the target, send one answer."""
    path, with_django = TARGETS[request["target"]]
    if with_django:
        import django  # noqa: PLC0415 - only the targets that need it pay for it

        django.setup()
        from django.conf import settings  # noqa: PLC0415

        for name, value in request["settings"].items():
            setattr(settings, name, value)
    module_name, function_name = path.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    _limit(request["cpu_seconds"], request["memory_bytes"])
    try:
        answer = {"result": function(*request["args"], **request["kwargs"])}
    except MemoryError:
        answer = {"limit": "memory"}
    except Exception as error:  # noqa: BLE001 - every failure becomes an answer; the parent fails closed
        if hasattr(error, "code") and hasattr(error, "params"):
            answer = {"code": error.code, "params": error.params}
        else:
            answer = {"error": type(error).__name__}
    try:
        connection.send(answer)
    except MemoryError:
        connection.send({"limit": "memory"})
    connection.close()
