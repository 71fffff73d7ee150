#!/usr/bin/env python3
"""Speech-to-text baseline and scoring for bench/stt.sh.

    stt_baseline.py transcribe MODEL_DIR WAV OUT_TXT [--threads N]
        Transcribes WAV with faster-whisper on the CTranslate2 model in MODEL_DIR
        (CPU, float32, greedy with Whisper's temperature fallback, timestamps on,
        no VAD, no conditioning on previous text, English) and writes the
        transcript to OUT_TXT. Prints machine-readable lines:
            load_seconds=<float>
            audio_seconds=<float>
            transcribe_seconds=<float>
            segments=<int>

    stt_baseline.py wer REFERENCE_TXT HYPOTHESIS_TXT
        Prints `wer=<float> errors=<int> words=<int>`: word error rate of the
        hypothesis against the reference after normalising case and punctuation.

    stt_baseline.py talentd-text TALENTD_OUTPUT OUT_TXT
        Extracts the transcript text from the output of the talentd-stt example
        `transcribe` (segment lines such as `[0.00 -> 4.20] text`) into OUT_TXT.

Only the `transcribe` subcommand needs faster-whisper; the others use the standard
library, so they run with any python3.
"""

import argparse
import re
import sys
import time
import unicodedata

# Words the decoders may spell either way; folded to one spelling so that WER
# measures recognition, not orthography.
_EQUIVALENT = {
    "ok": "okay",
    "alright": "all right",
}


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> list[str]:
    """English words for 0..999 (decoders write "20 minutes" for "twenty minutes")."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    rest = n % 100
    return [_ONES[n // 100], "hundred"] + (number_words(rest) if rest else [])


def normalise(text: str) -> list[str]:
    """Lower-cases, drops accents and punctuation, splits hyphens, spells out numbers
    below a thousand; returns the words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    # Apostrophes join (don't -> dont); every other non-alphanumeric splits words.
    text = re.sub(r"[’'`]", "", text)
    text = re.sub(r"(?<=[0-9]),(?=[0-9]{3})", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words: list[str] = []
    for word in text.split():
        if word.isdigit() and int(word) < 1000:
            words.extend(number_words(int(word)))
        else:
            words.extend(_EQUIVALENT.get(word, word).split())
    return words


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words (substitutions + deletions + insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp_word in enumerate(hypothesis, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (ref_word != hyp_word),
            )
        previous = current
    return previous[-1]


def cmd_wer(args: argparse.Namespace) -> int:
    with open(args.reference, encoding="utf-8") as f:
        reference = normalise(f.read())
    with open(args.hypothesis, encoding="utf-8") as f:
        hypothesis = normalise(f.read())
    if not reference:
        print("stt_baseline: the reference text is empty", file=sys.stderr)
        return 1
    errors = word_errors(reference, hypothesis)
    print(f"wer={errors / len(reference):.4f} errors={errors} words={len(reference)}")
    return 0


# `[0.00 -> 4.20] text`, `[00:00.000 --> 00:04.200] text` and similar.
_SEGMENT = re.compile(r"^\s*\[\s*[0-9:.,]+s?\s*-+>\s*[0-9:.,]+s?\s*\]\s?(.*)$")


def cmd_talentd_text(args: argparse.Namespace) -> int:
    with open(args.output, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    texts = [m.group(1).strip() for m in map(_SEGMENT.match, lines) if m]
    if not texts:
        print(
            f"stt_baseline: no segment lines like '[0.00 -> 4.20] text' in {args.output}",
            file=sys.stderr,
        )
        return 1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(t for t in texts if t) + "\n")
    print(f"segments={len(texts)}")
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    from faster_whisper import WhisperModel, decode_audio

    start = time.perf_counter()
    model = WhisperModel(
        args.model_dir,
        device="cpu",
        compute_type="float32",
        cpu_threads=args.threads,
        local_files_only=True,
    )
    load_seconds = time.perf_counter() - start

    start = time.perf_counter()
    audio = decode_audio(args.wav, sampling_rate=16000)
    segments, info = model.transcribe(
        audio,
        language="en",
        beam_size=1,
        best_of=1,
        vad_filter=False,
        condition_on_previous_text=False,
        without_timestamps=False,
    )
    # `segments` is lazy: decoding happens while it is consumed.
    texts = [segment.text.strip() for segment in segments]
    transcribe_seconds = time.perf_counter() - start

    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(t for t in texts if t) + "\n")
    print(f"load_seconds={load_seconds:.3f}")
    print(f"audio_seconds={info.duration:.3f}")
    print(f"transcribe_seconds={transcribe_seconds:.3f}")
    print(f"segments={len(texts)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("transcribe", help="transcribe a wav with faster-whisper")
    p.add_argument("model_dir")
    p.add_argument("wav")
    p.add_argument("out")
    p.add_argument("--threads", type=int, default=2)
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("wer", help="word error rate of a hypothesis text")
    p.add_argument("reference")
    p.add_argument("hypothesis")
    p.set_defaults(func=cmd_wer)

    p = sub.add_parser("talentd-text", help="transcript text from talentd's example output")
    p.add_argument("output")
    p.add_argument("out")
    p.set_defaults(func=cmd_talentd_text)

    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
