"""Cycles per time step of QRNN (k=2) and SRU, window 1 vs window W, on the simulated board.

Usage: python benchmarks/qrnn_sru_window.py [--window W] [--variant int8 float32 ...]

The QRNN reads 32 inputs into 64 units; the SRU's highway needs as many inputs as units, so
it runs 64 -> 64 (docs/bench.md, "QRNN/SRU windows"). Prints one line per form and variant.
"""

from __future__ import annotations

import argparse

from edgernn.bench.windows import measure_window

FORMS = (("qrnn", 32, 64), ("sru", 64, 64))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=4)
    parser.add_argument("--variant", nargs="+", default=["int8", "float32"])
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()
    print(f"{'layer':<6}{'variant':<9}{'in->units':<11}{'w=1 cyc/step':>14}"
          f"{f'w={args.window} cyc/step':>14}{'speed-up':>10}")
    for variant in args.variant:
        for kind, inputs, units in FORMS:
            one = measure_window(kind, 1, variant=variant, inputs=inputs, units=units,
                                 steps=args.steps)
            many = measure_window(kind, args.window, variant=variant, inputs=inputs,
                                  units=units, steps=args.steps)
            print(f"{kind:<6}{variant:<9}{f'{inputs}->{units}':<11}{one.cycles_per_step:>14.0f}"
                  f"{many.cycles_per_step:>14.0f}"
                  f"{one.cycles_per_step / many.cycles_per_step:>9.2f}x")


if __name__ == "__main__":
    main()
