"""The error family users can cause. The CLI prints these as one line and exits with code 2."""


class EdgernnError(Exception):
    """Base of every error a user can cause (bad input, unsupported model, missing tool)."""


class SpecError(EdgernnError):
    """A model spec file is malformed or describes an unsupported model."""


class ModelFileError(EdgernnError):
    """A saved model (run directory, weights file) is missing, corrupt or inconsistent."""


class BuildError(EdgernnError):
    """Generated code failed to compile or a required tool is missing."""


class VerificationError(EdgernnError):
    """Generated code ran but its outputs disagree with the golden model."""


class DataError(EdgernnError):
    """A data set is unknown, not installed, or does not fit the model it should train."""


class TrainingError(EdgernnError):
    """A model cannot be trained on its data set, or training diverged."""


class SimulationError(EdgernnError):
    """Firmware could not be simulated: bad ELF or memory map, a fault, or a run limit hit."""


class QuantizationError(EdgernnError):
    """A model cannot be quantized as asked: bad calibration data, or a value out of range."""


class PassError(EdgernnError):
    """An IR pass is unknown, cannot apply to the graph, or left it invalid."""
