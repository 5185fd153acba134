"""Built-in grand-staff excerpts: two hands in a key and a meter, bars that add up, in GrandStaff's vocabulary.

Rhythm is drawn beat by beat from patterns that fill one beat exactly (a quarter in simple
meters, a dotted quarter in compound ones), sometimes merged into longer notes, so every bar of
both hands adds up to its meter; eighths and sixteenths within a beat are beamed (`L` ... `J`).
Pitches are scale degrees of the key (written with the key's accidentals, as **kern spells the
sounding pitch) walking by steps and small leaps, with occasional chromatic notes, chords (the
left hand's triads, the right hand's sixths and thirds), rests, and ties across the barline to
the same pitch. The two hands are merged into records on the union of their onsets.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from engines.base import pick
from engines.sheet_music.excerpt import Excerpt

LETTERS = "cdefgab"
SHARPS, FLATS = "fcgdaeb", "beadgcf"
METERS = {"2/4": (2, False), "3/4": (3, False), "4/4": (4, False), "2/2": (4, False), "3/8": (1, True),
          "6/8": (2, True), "9/8": (3, True)}
# one beat's rhythms as kern durations (4 = quarter); simple beats last 1/4, compound beats 3/8
SIMPLE = (("4",), ("4",), ("8", "8"), ("8", "8"), ("8.", "16"), ("16", "16", "8"), ("8", "16", "16"),
          ("16", "16", "16", "16"))
COMPOUND = (("4.",), ("4", "8"), ("8", "8", "8"), ("8", "8", "8"), ("8.", "16", "8"), ("16", "16", "8", "8"))
FORMS = ("Prelude", "Nocturne", "Etude", "Romance", "Impromptu", "Bagatelle", "Song without Words", "Berceuse",
         "Scherzo", "Arietta", "Sonatina", "Invention", "Album Leaf", "Ballade")
DANCES = ("Waltz", "Mazurka", "Menuet", "Polonaise")  # in three: only titles of excerpts in 3/4 or 3/8
TRIPLE = ("3/4", "3/8")
# Invented titles, and invented composers: a made-up piece is never credited to a real composer.
PICTURES = ("Autumn Song", "Evening Bells", "By the River", "Morning Walk", "Little March", "Snowfall",
            "The Old Mill", "Lullaby", "Spring Dance", "Night Train", "A Quiet Garden", "Rainy Day", "Harbour Lights",
            "Shepherd's Tune", "Remembrance", "First Steps", "The Clock Tower", "Summer Evening")
GIVEN = ("Anna", "Clara", "Elise", "Jonas", "Matthias", "Helena", "Pavel", "Ines", "Tomas", "Greta", "Luca", "Mira",
         "Henrik", "Sofia", "Emil", "Agnes", "Viktor", "Lea")
FAMILY = ("Albrecht", "Varga", "Lindqvist", "Moreau", "Halvorsen", "Novak", "Castellano", "Brandt", "Keller", "Marek",
          "Ostrowska", "Falk", "Sandoval", "Horvath", "Vries", "Lindgren", "Pellegrini", "Aalto")
TEMPI = ("Allegro", "Allegretto", "Andante", "Andantino", "Moderato", "Adagio", "Larghetto", "Presto", "Vivace",
         "Lento", "Allegro moderato", "Andante cantabile", "Allegretto grazioso", "Con moto",
         "Poco allegro", "Tranquillo", "Grazioso")
# major keys by their signature's fifths (flats negative), as a title names them
MAJOR_KEYS = {-4: "A-flat major", -3: "E-flat major", -2: "B-flat major", -1: "F major", 0: "C major", 1: "G major",
              2: "D major", 3: "A major", 4: "E major"}


def invented_title(rng: np.random.Generator, fifths: int, meter: str) -> str:
    """A title as an album of short piano pieces prints it: a form (a dance only in three), maybe in its key,
    numbered, or a picture."""
    forms = FORMS + DANCES if meter in TRIPLE else FORMS
    form = pick(rng, forms)
    roll = rng.random()
    if roll < 0.3:
        return f"{form} in {MAJOR_KEYS[fifths]}"
    if roll < 0.55:
        return f"{form}, Op. {int(rng.integers(2, 80))}, No. {int(rng.integers(1, 7))}"
    if roll < 0.7:
        return f"{form} No. {int(rng.integers(1, 13))}"
    return pick(rng, PICTURES)


def invented_composer(rng: np.random.Generator) -> str:
    """An invented composer, written `Family, Given` as **kern's !!!COM records are."""
    return f"{pick(rng, FAMILY)}, {pick(rng, GIVEN)}"


def duration(token: str) -> Fraction:
    """Length of a kern duration (`4`, `8.`, `2..`) in whole notes."""
    base = token.rstrip(".")
    value = Fraction(1, int(base))
    dots = len(token) - len(base)
    return value * (2 - Fraction(1, 2 ** dots))


def key_signature(fifths: int) -> tuple[str, dict[str, str]]:
    """`*k[...]` for a number of sharps (> 0) or flats (< 0), and each letter's accidental in that key."""
    letters = SHARPS[:fifths] if fifths > 0 else FLATS[:-fifths]
    mark = "#" if fifths > 0 else "-"
    return "*k[" + "".join(f"{x}{mark}" for x in letters) + "]", {x: mark for x in letters}


def pitch_name(step: int, accidental: str) -> str:
    """Kern spelling of diatonic step `step` (0 = middle C), e.g. 0 -> c, 7 -> cc, -1 -> B, -8 -> BB."""
    octave, letter = divmod(step, 7)
    name = LETTERS[letter]
    text = name * (octave + 1) if octave >= 0 else name.upper() * (-octave)
    return text + accidental


def _beat_rhythms(rng: np.random.Generator, beats: int, compound: bool) -> list[str]:
    """One bar's durations: patterns per beat, sometimes whole bar or half-bar notes."""
    if not compound and rng.random() < 0.12 and beats in (2, 3, 4):
        return {2: ["2"], 3: ["2."], 4: ["1"]}[beats]
    if compound and rng.random() < 0.1:
        return {1: ["4."], 2: ["2."], 3: ["2.", "4."]}[beats]
    patterns = COMPOUND if compound else SIMPLE
    out: list[str] = []
    k = 0
    while k < beats:
        if not compound and k + 1 < beats and rng.random() < 0.15:
            out.append("2")
            k += 2
            continue
        out.extend(pick(rng, patterns))
        k += 1
    return out


class _Hand:
    """One hand's melody state: its range (diatonic steps), its current step, how often it plays chords."""

    def __init__(self, rng: np.random.Generator, low: int, high: int, chords: float, keyacc: dict[str, str]) -> None:
        self.rng, self.low, self.high, self.chords, self.keyacc = rng, low, high, chords, keyacc
        self.step = int(rng.integers(low + 2, high - 2))

    def spell(self, step: int, chromatic: bool) -> str:
        letter = LETTERS[step % 7]
        acc = self.keyacc.get(letter, "")
        if chromatic:
            acc = {"": "#", "#": "n", "-": "n"}[acc]
        return pitch_name(step, acc)

    def event(self, dur: str, bar_start: bool) -> list[str]:
        """The pitches of the next event (a single note, or a chord low to high); [] for a rest."""
        rng = self.rng
        if rng.random() < 0.08 and not bar_start:
            return []
        move = int(rng.choice([-2, -1, -1, 1, 1, 2, 3, -3, 0, 4, -4]))
        self.step = min(max(self.step + move, self.low), self.high)
        chromatic = rng.random() < 0.06
        if rng.random() < self.chords and duration(dur) >= Fraction(1, 8):
            shape = ((0, 2, 4), (0, 2), (0, 5), (0, 4), (0, 2, 5))[int(rng.integers(5))]
            top = min(self.step + shape[-1], self.high + 2)
            return [self.spell(top - shape[-1] + d, False) for d in shape]
        return [self.spell(self.step, chromatic)]


def _tokens(hand: _Hand, rhythm: list[str], compound: bool, tie_in: str | None,
            more: bool) -> tuple[list[str], str | None]:
    """One bar of one hand as kern tokens (beams within beats, a tie in), and the pitch to tie out (if `more` bars)."""
    tokens: list[str] = []
    beat = Fraction(3, 8) if compound else Fraction(1, 4)
    at = Fraction(0)
    groups: list[list[int]] = []
    for i, dur in enumerate(rhythm):
        pitches = [tie_in] if (i == 0 and tie_in) else hand.event(dur, i == 0)
        if not pitches:
            tokens.append(f"{dur}r")
        elif i == 0 and tie_in:
            tokens.append(f"{dur}{tie_in}]")
        else:
            tokens.append(" ".join(f"{dur}{p}" for p in pitches))
        beamable = duration(dur) <= Fraction(1, 8) and bool(pitches)
        if beamable and groups and groups[-1][-1] == i - 1 and at // beat == (at - duration(rhythm[i - 1])) // beat:
            groups[-1].append(i)
        elif beamable:
            groups.append([i])
        at += duration(dur)
    for group in groups:
        if len(group) > 1:
            first, last = group[0], group[-1]
            tokens[first] = _mark(tokens[first], "L")
            tokens[last] = _mark(tokens[last], "J")
    tie_out = None
    last = tokens[-1]
    if more and " " not in last and not last.endswith(("r", "J", "]")) and hand.rng.random() < 0.12:
        pitch = last[len(rhythm[-1]):]
        tokens[-1] = "[" + last
        tie_out = pitch
    return tokens, tie_out


def _mark(token: str, beam: str) -> str:
    """A beam mark on the first note of a chord token."""
    first, _, rest = token.partition(" ")
    return f"{first}{beam}" + (f" {rest}" if rest else "")


def _merge(left: list[tuple[Fraction, str]], right: list[tuple[Fraction, str]]) -> list[str]:
    """Records on the union of both hands' onsets; '.' where a hand has no new event."""
    onsets = sorted({t for t, _ in left} | {t for t, _ in right})
    a, b = dict(left), dict(right)
    return [f"{a.get(t, '.')}\t{b.get(t, '.')}" for t in onsets]


def _timed(tokens: list[str], rhythm: list[str]) -> list[tuple[Fraction, str]]:
    out, at = [], Fraction(0)
    for token, dur in zip(tokens, rhythm):
        out.append((at, token))
        at += duration(dur)
    return out


def generate(rng: np.random.Generator, n_bars: int) -> Excerpt:
    """A random grand-staff excerpt of `n_bars` bars (the engine may draw fewer of them)."""
    meter = pick(rng, list(METERS))
    beats, compound = METERS[meter]
    fifths = int(rng.integers(-4, 5))
    key, keyacc = key_signature(fifths)
    left = _Hand(rng, -12, -1, 0.3, keyacc)   # E2 .. B3 in diatonic steps from middle C
    right = _Hand(rng, 0, 12, 0.15, keyacc)   # C4 .. A5
    bars, ties = [], [None, None]
    for number in range(1, n_bars + 1):
        rows = []
        for k, hand in enumerate((left, right)):
            rhythm = _beat_rhythms(rng, beats, compound)
            if ties[k] is not None and rhythm[0].endswith("r"):
                ties[k] = None
            tokens, ties[k] = _tokens(hand, rhythm, compound, ties[k], number < n_bars)
            rows.append(_timed(tokens, rhythm))
        barline = "==" if number == n_bars else f"={number}"
        bars.append((*_merge(rows[0], rows[1]), f"{barline}\t{barline}"))
    opening = ("*clefF4\t*clefG2", f"{key}\t{key}", f"*M{meter}\t*M{meter}")
    tempi = TEMPI + ("Tempo di valse",) if meter in TRIPLE else TEMPI
    tempo = pick(rng, tempi) if rng.random() < 0.3 else ""
    return Excerpt(opening, tuple(bars), invented_title(rng, fifths, meter), invented_composer(rng), tempo=tempo)
