"""Make the annunciator's alarm tones: ``alarm_p1.wav`` … ``alarm_p4.wav`` beside this file.

One short tone per alarm priority (``ioc_desktop.alarms.annunciator.TONES``), told apart
by pitch and by pattern, in the spirit of IEC 60601-1-8's alarm melodies: the more
urgent, the higher, the faster and the more pulses.

* priority 1 (highest): 4 pulses of 60 ms with 40 ms gaps, 1397 Hz plus its fifth
  (harsher), 400 ms;
* priority 2: 3 pulses of 90 ms with 40 ms gaps, 1047 Hz plus its octave, 390 ms;
* priority 3: 2 pulses of 110 ms with 40 ms gaps, 784 Hz, 300 ms;
* priority 4 (lowest): 1 soft, decaying pulse of 220 ms, 587 Hz.

16-bit PCM, mono, 22050 Hz: about 57 KB for the four.  Each pulse fades in and out over
5 ms (no clicks), priority 4 decays.  The output is deterministic (no randomness, no
date in the files), so the committed WAVs are exactly what this script writes, which
``tests/test_annunciator.py`` checks byte for byte.

Run it after changing a tone, and commit the WAVs with it::

    python resources/sounds/make_tones.py            # rewrite the four WAVs
    python resources/sounds/make_tones.py --check    # exit 1 if a WAV differs
"""
from __future__ import annotations

import argparse
import io
import math
import struct
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

RATE = 22050
SAMPLE_WIDTH = 2            # bytes: 16-bit signed PCM
CHANNELS = 1
FADE_S = 0.005
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Tone:
    name: str
    pulses: int
    on_s: float
    gap_s: float
    freq: float
    amplitude: float                  # of full scale
    second: float = 0.0               # an added partial, as a frequency ratio (0: none)
    second_level: float = 0.0
    decay: bool = False               # fall off over the pulse (a softer sound)


TONES = {
    1: Tone("alarm_p1", 4, 0.060, 0.040, 1396.9, 0.50, second=1.5, second_level=0.45),
    2: Tone("alarm_p2", 3, 0.090, 0.040, 1046.5, 0.45, second=2.0, second_level=0.20),
    3: Tone("alarm_p3", 2, 0.110, 0.040, 784.0, 0.40),
    4: Tone("alarm_p4", 1, 0.220, 0.000, 587.3, 0.35, decay=True),
}


def samples(tone: Tone) -> list[int]:
    """The tone's 16-bit samples: pulses, each followed by its gap (silence)."""
    on, gap = round(tone.on_s * RATE), round(tone.gap_s * RATE)
    fade = round(FADE_S * RATE)
    peak = 32767 * tone.amplitude / (1.0 + tone.second_level)
    out: list[int] = []
    for _ in range(tone.pulses):
        for i in range(on):
            t = i / RATE
            v = math.sin(2 * math.pi * tone.freq * t)
            if tone.second:
                v += tone.second_level * math.sin(2 * math.pi * tone.freq * tone.second * t)
            env = min(1.0, i / fade, (on - 1 - i) / fade)
            if tone.decay:
                env *= 1.0 - 0.7 * i / on
            out.append(max(-32768, min(32767, round(peak * env * v))))
        out.extend([0] * gap)
    return out


def wav_bytes(tone: Tone) -> bytes:
    """The tone as a complete WAV file."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(RATE)
        data = samples(tone)
        w.writeframes(struct.pack(f"<{len(data)}h", *data))
    return buf.getvalue()


def render_all() -> dict[str, bytes]:
    """File name -> WAV bytes, for every priority."""
    return {f"{tone.name}.wav": wav_bytes(tone) for tone in TONES.values()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare with the WAVs on disk; exit 1 if any differs")
    parser.add_argument("--out", type=Path, default=HERE, help="folder (default: here)")
    args = parser.parse_args(argv)
    differs = []
    for name, data in render_all().items():
        path = args.out / name
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                differs.append(name)
            continue
        path.write_bytes(data)
        print(f"{path}  {len(data)} bytes")
    if differs:
        print("differ from make_tones.py: " + ", ".join(differs), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
