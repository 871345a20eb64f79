"""edgernn: recurrent neural networks to fast, small, verified C for microcontrollers."""

__version__ = "0.1.0"
