"""Build targets for generated code: compile, run and check a model (host now; boards later)."""

from edgernn.targets.host import (
    FLOAT_TOLERANCE,
    HOST_CFLAGS,
    HostBuild,
    HostCheck,
    HostInputError,
    build_host,
    check_on_host,
    find_compiler,
    random_inputs,
    reference_steps,
)

__all__ = [
    "FLOAT_TOLERANCE", "HOST_CFLAGS", "HostBuild", "HostCheck", "HostInputError", "build_host",
    "check_on_host", "find_compiler", "random_inputs", "reference_steps",
]
