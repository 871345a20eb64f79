"""The ``edgernn`` command line: thin commands over library functions."""
