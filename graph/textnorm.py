"""Normalising patient phrases and concept names so that different spellings of one phrasing meet.

One pipeline for both sides (the phrase asked about and every label, synonym and expression indexed):
Unicode folding and case, punctuation, British → American spelling, a light English stemmer for plurals
and other inflections, and, for :func:`key`, word order and filler words. Because both sides go through
the same steps, a rule only has to be consistent, not linguistically perfect.

>>> normalize("Anaemia, chronic!")
'anemia chronic'
>>> key("Pains in the LEGS") == key("leg pain")
True
>>> key("oesophagus burning") == key("burning esophagus")
True
>>> [stem(w) for w in ("headaches", "aching", "ache", "tiredness", "swelling", "calves", "dizziness")]
['headach', 'ach', 'ach', 'tir', 'swel', 'calf', 'diz']
"""
from __future__ import annotations

import pickle
import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

__all__ = ["normalize", "stem", "strict_stem", "tokens", "content_words", "content_tokens", "affirmed", "key", "strict_key", "is_written_word", "written_words", "written_word_set", "char_text", "is_english_word", "names_drug", "left_out", "spelt_words", "absent_part", "listed_parts", "circumstance_split", "unknown_word_stems", "STOPWORDS"]

# Contractions of a pronoun and a verb as normalisation leaves them (without the apostrophe): filler, and no
# typos to read ("we've" was read as "wave", "they're" as "three"). Negations ("don't", "can't") are words
# that change what is meant, and stay.
_CONTRACTIONS = frozenset("weve youve theyve youre theyre hes shes thats theres whats youd theyd youll theyll".split())

# Filler words of patient phrases: they do not change which concept is meant ("pain in my legs").
STOPWORDS = frozenset(
    """a an the my mine me i im ive id am is are was were be been being have has had having do does did of in
    on at to into onto for from with by and or as so very really bit little some any all this that these
    those it its it's which who when while then now there here up down out over about like just too also
    feel feeling felt get getting got after before during since your you he she his her they them their
    our we us""".split()
) | _CONTRACTIONS

# Whole-word British → American spellings that the rules below do not reach.
_WORDS = {
    "colour": "color", "tumour": "tumor", "tumours": "tumors", "behaviour": "behavior", "odour": "odor",
    "humour": "humor", "labour": "labor", "favour": "favor", "vapour": "vapor", "rumour": "rumor",
    "centre": "center", "fibre": "fiber", "litre": "liter", "metre": "meter", "theatre": "theater",
    "grey": "gray", "mould": "mold", "sulphur": "sulfur", "aluminium": "aluminum", "programme": "program",
    "ageing": "aging", "judgement": "judgment", "plough": "plow", "tonne": "ton", "mum": "mom",
    "stomache": "stomach", "diarrhoea": "diarrhea", "diarhea": "diarrhea", "diarrea": "diarrhea",
    "oedema": "edema", "foetus": "fetus", "faeces": "feces", "faecal": "fecal", "coeliac": "celiac",
    "manoeuvre": "maneuver", "ok": "okay", "tummy": "stomach", "feet": "foot", "teeth": "tooth",
    "calves": "calf", "knives": "knife", "halves": "half", "women": "woman", "men": "man", "children": "child",
    "mice": "mouse", "lice": "louse", "geese": "goose", "leaves": "leaf", "lives": "life", "wives": "wife",
    "thighs": "thigh", "ribs": "rib", "swollen": "swell", "sore": "sore",
    # Negations are one word: "never hungry" is "not hungry", "I can't sleep" "I don't sleep" (normalised,
    # without the apostrophe).
    **dict.fromkeys("""no never cant cannot couldnt dont doesnt didnt wont wouldnt havent hasnt hadnt isnt arent
                    wasnt werent unable""".split(), "not"),
}

# Substring rules for the Greek- and Latin-derived medical spellings (anaemia, haem-, paed-, oesophagus,
# dyspnoea, paraesthesia) and -ise/-yse verbs.
_RULES = (
    (re.compile(r"\boe"), "e"),  # oesophagus, oedema, oestrogen
    (re.compile(r"oea"), "ea"),  # dyspnoea, diarrhoea, gonorrhoea
    (re.compile(r"(?<=[bcdfghklmnprstvz])ae(?=[a-z])"), "e"),  # anaemia, haem-, paed-, leukaemia, aesthesia
    (re.compile(r"\bae(?=[s]th)"), "e"),  # aesthetic
    (re.compile(r"(?<=[a-z]{2})([iy])s(e|ed|es|ing|ation|ations)\b"), r"\1z\2"),  # paralyse, realise
)

_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile(r"['\u2019\u2018`]")


def _fold(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = _APOSTROPHE.sub("", text).replace("&", " and ")
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def _spell(word: str) -> str:
    if word in _WORDS:
        return _WORDS[word]
    if len(word) < 4 or word.isdigit():
        return word
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word)
    if word.endswith("our") and word[:-3] + "or" in _OUR:
        word = word[:-3] + "or"
    return word


_OUR = frozenset({"color", "tumor", "behavior", "odor", "humor", "labor", "favor", "vapor", "rumor", "flavor"})


# "Down" after "feel" is a mood, as "low" is, not the particle of a phrasal verb (a filler word): "I feel
# down all the time" would otherwise be "time" alone. Not where it points somewhere ("feel down there").
_FEEL_DOWN = re.compile(
    r"\b(feel|feels|feeling|felt)((?: (?:really|so|very|pretty|quite|rather|a|bit|little|kind|of|kinda|all))*) down\b"
    r"(?! (?:there|below|here|my|the|your|his|her|into|to)\b)")


# To *be* sick is to vomit (British: "I've been sick twice", "she's being sick"); to *feel* sick is nausea.
# The normaliser drops "been" and "was" as filler, so "I've been sick" would be "sick" alone, nausea. Not
# where the words say an illness ("sick for a week", "sick of it", "sick and tired", "sick with flu").
_BE_SICK = re.compile(
    r"\b(be|been|being|was|were)((?: (?:really|so|very|violently|physically|actually|just|badly))*) sick\b"
    r"(?! (?:of|and|with|for|since|leave|note|notes|day|days|pay|lately|recently|all (?:week|month|year))\b)")


# Idioms of suicidal thoughts, whose words alone say something else ("ending" matched HPO's "ends of long
# bones", "it all" is filler, "thoughts of" drew Racing thoughts): read as what they say. "End of life" (care)
# is not one.
_SUICIDAL = re.compile(
    r"\b(?:thoughts? (?:of|about) )?(?:"
    r"(?:end|ends|ending|ended|take|takes|taking|took)(?: (?:my|his|her|their|your|our))?(?: own)? (?:life|lives)\b"
    r"|(?:end|ends|ending|ended) it all\b|kill(?:ing)? (?:myself|himself|herself|themselves|yourself)\b)")


# To get lost, or lose one's way, is to be disoriented, not a loss: "lost" alone matched *Weight loss* ("I get
# lost easily"). Not where something is lost ("lost weight", "got lost in my thoughts" is no place).
_GET_LOST = re.compile(
    r"\b(?:(?:get|gets|getting|got|gotten|keep getting)((?: (?:so|really|very|easily|completely|totally|always|often))*)"
    r" lost\b(?! (?:weight|my|his|her|their|our|your|in (?:my|his|her|their) (?:thoughts|head))\b)"
    r"|(?:lose|loses|losing|lost) (?:my|his|her|their|our|your) (?:way|bearings)\b)")


# When it happened ("this morning", "last night", "today"): a date of the story, not a word of the symptom, but
# "morning" drew Nausea (morning sickness) before Hematemesis in "I threw up blood this morning". Read as
# nothing. A time of day that is part of the symptom stays ("at night", "in the morning", "night sweats").
_WHEN = re.compile(
    r"\b(?:(?:since|from|until|till|as of|for|over|in) (?:the )?)?"
    r"(?:(?:this|last|yesterday|tomorrow|earlier|past) (?:morning|afternoon|evening|night|week|weekend|month|year)"
    r"|today|yesterday|tonight"
    r"|(?:(?:since|on|last|this|from|until|till) )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?)\b")


# A medicine the experience came with ("a rash after taking statins", "headache since starting lisinopril",
# "dizzy on my blood pressure pills"): when and why, for the clinician, not a word of the experience. Its
# unknown name made the phrase look like a gap ("statins" read as "staining"). Read as nothing, but only where
# what follows is a medicine: a word no English dictionary has (a drug's name), a word with an INN/USAN
# stem of drug names (-pril, -statin, -mab), or a medicine noun ("pills", "my meds"), or after a verb of
# starting or taking, "it" or "them". "Pain after taking a deep breath" and "since starting my period" stay.
_MEDICINE_NOUNS = frozenset("""pill pills tablet tablets tabs capsule capsules meds med medication medications
    medicine medicines drug drugs antibiotic antibiotics injection injections jab jabs vaccine vaccines
    vaccination shot shots dose doses chemo chemotherapy inhaler inhalers steroid steroids painkiller painkillers
    antidepressant antidepressants prescription treatment""".split())
_DRUG_STEMS = ("pril", "sartan", "olol", "alol", "statin", "mab", "mycin", "micin", "cillin", "azole", "prazole",
               "dipine", "oxetine", "triptan", "profen", "cycline", "floxacin", "azepam", "azolam", "tidine",
               "formin", "gliptin", "gliflozin", "dronate", "lukast", "semide", "thiazide", "parin", "xaban",
               "setron", "tyline", "afil", "pram", "faxine", "vudine", "navir", "previr", "tinib", "glutide")
_PRONOUN_OBJECTS = frozenset("it them this that these those".split())
_MEDICINE_ONSET = re.compile(
    r"\b(?:ever )?(?:(?:(?:since|after|from|when) (?:i |we |he |she )?(?:first )?"
    r"(?:started|start|starting|began|begin|beginning|taking|take|took|went on|going on|been on|switched to"
    r"|switching to|increased|increasing|changed to|changing to|using)(?: (?:on|taking|using))?)|(on|from))"
    r"((?: (?:the|my|a|an|new|this|that|these|those|some|his|her))*)((?: [a-z0-9]+){1,4})")


_DOSE = re.compile(r"^(?:\d+(?:mg|mcg|ml|g|iu)?|mg|mcg|ml|iu)$")


def names_drug(word: str) -> bool:
    """Whether a folded word has an INN/USAN stem of drug names: a medicine, not a misspelt symptom.

    >>> names_drug("statins"), names_drug("lisinopril"), names_drug("stating")
    (True, True, False)
    """
    return len(word) > 4 and (word[:-1] if word.endswith("s") else word).endswith(_DRUG_STEMS)


def _names_medicine(word: str, after_verb: bool) -> bool:
    """A drug's name: after "taking" or "since starting", any word no English dictionary has; after a bare "on"
    or "from" only a drug-name stem, since there a misspelt place is likelier ("pain on my shoudler")."""
    return names_drug(word) or (after_verb and len(word) > 4 and not is_english_word(word))


def _medicine_words(words: list[str], after_verb: bool) -> int:
    """How many of ``words`` (those after "since starting", "on", ...) name the medicine: 0 if they do not."""
    if after_verb and words[0] in _PRONOUN_OBJECTS:
        return 1
    named = 0
    for i, word in enumerate(words):
        if word in _MEDICINE_NOUNS:
            return i + 1
        if _names_medicine(word, after_verb) or (named and _DOSE.match(word)):
            named = i + 1
        elif named:
            return named
        elif not any(w in _MEDICINE_NOUNS for w in words[i + 1:i + 3]):  # "blood pressure pills"
            return 0
    return named


def _without_medicine(match: re.Match[str]) -> str:
    words = match.group(3).split()
    taken = _medicine_words(words, after_verb=match.group(1) is None)
    return " " + " ".join(words[taken:]) if taken else match.group(0)


# The medicine as the phrase's subject ("the metformin makes me nauseous", "lipitor gave me aches").
_MEDICINE_DOES = re.compile(
    r"^(?:(?:the|my|this|these|those|that|new) )*((?:[a-z0-9]+ ){1,3})(?=(?:makes|made|make|is making|gives|gave"
    r"|give|is giving|has given|causes|caused|has caused|left|leaves) )")


def _without_medicine_subject(match: re.Match[str]) -> str:
    words = match.group(1).split()
    return "" if _medicine_words(words, after_verb=True) == len(words) and words[0] not in _PRONOUN_OBJECTS \
        else match.group(0)


# Whom it is about, at the start ("my 3 year old has a rash", "my mother has diabetes"): the person, not a word
# of the experience ("year old" made the rash a gap). Read as nothing; the answer says what it left out, which
# tells a clinician whether it is the patient (a child brought in) or family history.
_WHOSE = re.compile(
    r"^(?:my|our|his|her|their) (?:(?:little|baby|eldest|youngest|older|younger|teenage|elderly|old) )?"
    r"(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?: and a half)? (?:year|yr|month|week)s? old"
    r"|baby|babies|son|sons|daughter|daughters|child|children|kid|kids|boy|girl|toddler|infant|newborn|husband|wife"
    r"|partner|mum|mom|mother|dad|father|parents|brother|sister|grandma|grandmother|grandad|granddad|grandfather|gran"
    r"|nan|grandparents|aunt|uncle|cousin|family|wee one|little one)\b(?: (?:has|had|have|is|was|keeps|kept|gets|got))?")


# A patient's guess or worry about what it is ("I think I might have the flu", "worried about cancer", "could it
# be shingles"): the condition named is what to look up, and the hedge says it is not a diagnosis ("think" and
# "might" drew *Panic attack*). Read as nothing; the answer shows it left out.
_HEDGE = re.compile(
    r"^(?:(?:i |im |i am |ive been |been )?(?:think|thinking|suspect|believe|reckon|wonder if|wondering if)"
    r"(?: (?:that|if|it is|its))?(?: (?:i|ive|im|i am|it is|its|it might be|it could be))?"
    r"|(?:i |im |i am )?(?:worried|scared|afraid|concerned) (?:that )?(?:(?:i|ive) (?:might |may |could |must )?"
    r"(?:have|got|be getting|be coming down with)|it (?:might|could|may|must) be|it is|its)"
    r"|(?:could|might|can) (?:it|this|that) be|is (?:it|this) (?:maybe )?|maybe(?: its| it is)?|possibly|probably)"
    r"(?: (?:might|may|could|must|have|be))*(?: (?:have|got|be getting|coming down with|getting|having))?\b")


# "It makes me nauseous", "they gave me a rash": what causes it is said elsewhere; "makes" alone drew no concept
# and made the phrase look like a gap. Read as nothing.
_MAKES_ME = re.compile(r"\b(?:makes|made|make|making|gives|gave|give|giving) me\b")


# A message's greeting and sign-off ("Hi doctor, ...", "... thanks"): no word of the experience, and a part of
# its own to the list reader. Read as nothing.
_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))(?: (?:there|doctor|doc|dr|nurse|gp|team|all))?"
    r"|(?:doctor|doc|dr))\b|\b(?:thanks?(?: you)?(?: (?:so|very) much)?(?: doctor| doc)?|many thanks|please help"
    r"|any advice|cheers)$", re.IGNORECASE)


# Each idiom: words one of which it must contain, its pattern, what it is read as.
_IDIOMS: tuple[tuple[tuple[str, ...], re.Pattern[str], "str | Callable[[re.Match[str]], str]"], ...] = (
    (("down",), _FEEL_DOWN, r"\1\2 low"),
    (("sick",), _BE_SICK, r"\1\2 vomiting"),
    (("life", "lives", " all", "kill"), _SUICIDAL, "suicidal ideation"),
    (("lost", "lose", "losing"), _GET_LOST, r"disorientation\1"),
    (("morning", "afternoon", "evening", "night", "week", "month", "year", "today", "yesterday", "day"), _WHEN, ""),
    (("since", "after", "from", "when", " on "), _MEDICINE_ONSET, _without_medicine),
    (("make", "made", "give", "gave", "caus", "left", "leaves"), _MEDICINE_DOES, _without_medicine_subject),
    (("make", "made", "giv", "gave"), _MAKES_ME, ""),
    (("hi", "hello", "hey", "dear", "good ", "doc", "dr", "than", "help", "advice", "cheers"), _GREETING, ""),
    (("my ", "our ", "his ", "her ", "their "), _WHOSE, ""),
    (("think", "suspect", "believ", "reckon", "wonder", "worri", "scared", "afraid", "concern", " be ", "is it",
      "is this", "maybe", "possibly", "probably"), _HEDGE, ""),
)


@lru_cache(maxsize=100_000)
def normalize(text: str) -> str:
    """Case, accents, punctuation and British spelling folded; word order and inflections kept; "feel down"
    read as "feel low", "been sick" as "been vomiting", "ending it all" as "suicidal ideation"; and read as
    nothing (:func:`left_out` says what): when it happened ("this morning", "since Tuesday"), the medicine it
    came with ("since starting lisinopril"), whom it is about ("my 3 year old has"), a guess's hedge ("I think
    I might have") and a message's greeting ("Hi doctor").

    >>> normalize("  Paediatric  HAEMORRHAGE (severe) ")
    'pediatric hemorrhage severe'
    >>> normalize("I've been feeling a bit down"), normalize("I can feel it down there")
    ('ive been feeling a bit low', 'i can feel it down there')
    >>> normalize("I've been sick twice"), normalize("I feel sick"), normalize("I've been sick for a week")
    ('ive been vomiting twice', 'i feel sick', 'ive been sick for a week')
    >>> normalize("I feel like ending it all"), normalize("thoughts of ending my life"), normalize("end of life care")
    ('i feel like suicidal ideation', 'suicidal ideation', 'end of life care')
    >>> normalize("I threw up blood this morning"), normalize("I wake up early in the morning")
    ('i threw up blood', 'i wake up early in the morning')
    >>> normalize("dizzy since yesterday"), normalize("dizzy for the past week"), normalize("night sweats")
    ('dizzy', 'dizzy', 'night sweats')
    >>> normalize("a rash after taking statins"), normalize("dizzy on my blood pressure pills")
    ('a rash', 'dizzy')
    >>> normalize("the metformin makes me nauseous"), normalize("my back gives me trouble")
    ('nauseous', 'my back trouble')
    >>> normalize("my 3 year old has a rash"), normalize("my mother had a heart attack"), normalize("my son")
    ('a rash', 'a heart attack', 'my son')
    >>> normalize("I think I might have the flu"), normalize("worried all the time"), normalize("scared of needles")
    ('the flu', 'worried all the time', 'scared of needles')
    >>> normalize("pain after taking a deep breath"), normalize("cramps since starting my period")
    ('pain after taking a deep breath', 'cramps since starting my period')
    """
    folded = _spelt(text)
    for cues, idiom, reading in _IDIOMS:
        if any(cue in folded for cue in cues):  # a regular expression only where it can match
            folded = idiom.sub(reading, folded)
            if not isinstance(reading, str) or not reading:  # read as nothing: kept whole, else closed up
                folded = " ".join(folded.split()) or _spelt(text)
    return folded


@lru_cache(maxsize=100_000)
def _spelt(text: str) -> str:
    """Case, accents, punctuation and British spelling folded (:func:`normalize` before its idioms)."""
    return " ".join(_spell(w) for w in _fold(text).split())


def spelt_words(text: str) -> dict[str, str]:
    """Each word of a text as :func:`normalize` spells it, and as the patient wrote it (case and punctuation
    folded): what to show a patient's word as.

    >>> spelt_words("A bruise, realised")
    {'a': 'a', 'bruize': 'bruise', 'realized': 'realised'}
    """
    return {_spell(w): w for w in _fold(text).split()}


def idioms_read(text: str) -> str | None:
    """The text normalised, if :func:`normalize` reads an idiom in it ("been sick", "ending it all"), else
    None: what the meaning model is told the phrase says (it reads "ending it all" as ending something).

    >>> idioms_read("I've been sick twice"), idioms_read("I've been feeling sick")
    ('ive been vomiting twice', None)
    """
    read = normalize(text)
    return read if read != _spelt(text) else None


def left_out(text: str) -> list[str]:
    """The runs of words that :func:`normalize` reads as nothing (when it happened, the medicine it came with),
    as folded: what the answer should say it set aside.

    >>> left_out("I have a rash after taking statins"), left_out("I threw up blood this morning"), left_out("rash")
    (['after taking statins'], ['this morning'], [])
    """
    spelt, read = _spelt(text).split(), normalize(text).split()
    if spelt == read:
        return []
    from difflib import SequenceMatcher

    ops = SequenceMatcher(None, spelt, read, autojunk=False).get_opcodes()
    return [" ".join(spelt[i1:i2]) for op, i1, i2, _, _ in ops if op == "delete"]


_VOWELS = frozenset("aeiouy")
# Nouns of measure in -ful, left whole by the stemmer: "a handful of pills" says nothing of the hand.
_MEASURES = frozenset({"handful", "mouthful", "spoonful", "cupful", "armful", "bellyful", "bucketful"})


# A noun whose verb the rules below do not reach (strict stems only: "loss" and "lose" share a light stem).
_IRREGULAR_STEMS = {"loss": "lose", "losses": "lose"}
_SHORT_SYLLABLE = re.compile(r"^[^aeiouy]*[aeiouy][^aeiouywx]$")


def _short_syllable(w: str) -> bool:
    """One syllable ending consonant, vowel, consonant (not w, x or y): "spin", "wak", "bon"."""
    return _SHORT_SYLLABLE.match(w) is not None


@lru_cache(maxsize=50_000)
def strict_stem(word: str) -> str:
    """:func:`stem` with Porter's rule for a final -e after a short syllable, so that words the light stemmer
    makes one stay apart: "spine" is not "spinning", "piles" not "pill", "scared" not "scarring", "hives" not
    "HIV". For telling whether two phrasings say the same words, not for matching: it would part a misspelling
    ("diziness") from its word, which the light stem keeps together.

    >>> [strict_stem(w) for w in ("spine", "spinning", "piles", "pill", "scared", "scar", "waking", "wake")]
    ['spine', 'spin', 'pile', 'pil', 'scare', 'scar', 'wake', 'wake']
    >>> strict_stem("runny") == strict_stem("running"), strict_stem("bony") == strict_stem("bones")
    (True, True)
    """
    return _stem(word, True)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing/-ed, -ness, -ly, -ful, -y, final -e, a doubled final consonant
    (consistent, not linguistic).

    >>> stem("bruised"), stem("bruising"), stem("bruises"), stem("itchy"), stem("itching")
    ('bruis', 'bruis', 'bruis', 'itch', 'itch')
    >>> stem("runny"), stem("running"), stem("stiff"), stem("stiffness")
    ('run', 'run', 'stif', 'stif')
    >>> stem("painful"), stem("painfully"), stem("forgetful"), stem("awful")
    ('pain', 'pain', 'forget', 'awful')
    """
    return _stem(word, False)


def _stem(word: str, strict: bool) -> str:
    w = _WORDS.get(word, word)
    if strict and w in _IRREGULAR_STEMS:
        return _IRREGULAR_STEMS[w]
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("iness") and len(w) > 6:
        w = w[:-5] + "y"
    elif w.endswith("ness") and len(w) > 6:
        w = w[:-4]
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("ches", "shes", "xes", "zes")) and len(w) > 5:
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")) and len(w) > 3:
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("eed"):
            base = w[: -len(suffix)]
            if any(c in _VOWELS for c in base):
                w = base
                if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
                    w = w[:-1]
                elif strict and _short_syllable(w):
                    w += "e"  # "waking" is "wake", as "spinning" is "spin"
                break
    if w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    # "painful" is "pain" (HPO: "Painful swallowing", "Knee pain"); a measure ("a handful of pills") is not.
    if w.endswith("ful") and len(w) >= 7 and w not in _MEASURES:
        w = w[:-3]
    if w.endswith("y") and len(w) > 3 and w[-2] not in _VOWELS:
        w = w[:-1]
        if strict and _short_syllable(w):
            w += "e"  # "bony" is "bone"
    if w.endswith("e") and len(w) > 3 and not (strict and _short_syllable(w[:-1])):
        w = w[:-1]
    # A final double consonant is single ("runny" and "running" are "run", "stiff" and "stiffness" "stif"):
    # a suffix doubles it in some words and not in others, so only the single form is the same in all.
    if len(w) > 3 and w[-1] == w[-2] and w[-1].isalpha() and w[-1] not in _VOWELS:
        w = w[:-1]
    return w


def tokens(text: str) -> list[str]:
    """The stems of a phrase, in order (filler words kept)."""
    return [stem(w) for w in normalize(text).split()]


# The filler words that carry no meaning even when nothing else is left: "feeling out of it" keeps its
# words, and "I've been feeling really out of it" is the same phrasing.
_GRAMMAR = frozenset(
    """a an the my mine me i im ive id am is are was were be been being have has had having do does did so
    very really too just also it its this that these those which who your you he she his her they them their
    our we us""".split()
) | _CONTRACTIONS


def content_words(text: str) -> list[str]:
    """The words of a phrase (normalised, as written) without filler words (if only filler words remain:
    without the grammatical ones, such as pronouns and auxiliaries; failing that, all)."""
    words = normalize(text).split()
    return [w for w in words if w not in STOPWORDS] or [w for w in words if w not in _GRAMMAR] or words


# Where a patient lists things: a comma or semicolon, "and", "but", "plus", "as well as", "also". Not "with", which
# ties a symptom to its occasion ("pain with urination" is one experience).
_LIST_BREAK = re.compile(r"\s*[,;]\s*(?:and\s+|but\s+|also\s+)?|\s+(?:and also|and|but|plus|as well as|also)\s+",
                         re.IGNORECASE)


def listed_parts(text: str, said_whole: Callable[[str], bool] | None = None) -> list[str]:
    """The parts of a phrase that lists things, as written (each with a word that is not filler), or [] when
    it lists nothing. Neighbouring parts that ``said_whole`` takes for one name, joined as written, stay one
    ("pins and needles", "no pins and needles").

    >>> listed_parts("headache, stiff neck and a fever"), listed_parts("pain when I pee")
    (['headache', 'stiff neck', 'a fever'], [])
    >>> listed_parts("this and that"), listed_parts("Hi doctor, a cough and a fever, thanks")
    ([], ['a cough', 'a fever'])
    >>> listed_parts("pins and needles and a cough", lambda t: t == "pins and needles")
    ['pins and needles', 'a cough']
    """
    if not _LIST_BREAK.search(text):  # most phrases list nothing: no part to normalise
        return []
    spans, start = [], 0
    for gap in _LIST_BREAK.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    if said_whole is not None:  # the longest run of parts (up to three) that is one name, from each part on
        merged, k = [], 0
        while k < len(spans):
            end = next((m for m in (k + 2, k + 1) if m < len(spans) and said_whole(text[spans[k][0] : spans[m][1]])), k)
            merged.append((spans[k][0], spans[end][1]))
            k = end + 1
        spans = merged
    parts = [p for a, b in spans if not _GREETING.fullmatch(p := text[a:b].strip())]
    parts = [p for p in parts if any(w not in STOPWORDS for w in normalize(p).split())]
    return parts if len(parts) > 1 else []


# A phrase that says an experience is absent ("no fever", "I don't have a headache", "denies nausea"): what a
# clinician records as negated, not as a finding. Only having is denied: "can't sleep", "no energy" and "not
# hungry" say a symptom, and the suggester checks that the rest names the concept on its own.
_ABSENT = re.compile(
    r"^(?:(?:i|he|she|they|we|there|theres|there is|there are|patient|pt)\s+)?"
    r"(?:no signs? of|no|denies|deny|denied|without|never had|free of|negative for|not had any|not had a"
    r"|(?:do|does|did|have|has|had) ?(?:not|nt) (?:have|had|got|get)(?: any| a| an)?"
    r"|(?:havent|hasnt|hadnt|dont|doesnt|didnt) (?:have|had|got|get)(?: any| a| an)?)\s+(.+)$")


@lru_cache(maxsize=100_000)
def absent_part(text: str) -> str | None:
    """The words that a phrase says are absent, if it denies having something ("no fever", "I don't have a
    headache"), else None.

    >>> absent_part("No fever"), absent_part("I don't have a headache"), absent_part("denies nausea")
    ('fever', 'headache', 'nausea')
    >>> absent_part("I can't sleep"), absent_part("nothing"), absent_part("no")
    (None, None, None)
    """
    match = _ABSENT.match(_fold(text))
    if match is None or not any(w not in STOPWORDS for w in match.group(1).split()):
        return None
    return match.group(1)


# Where a phrase goes on to say when or why it happens ("heartburn after spicy food", "headaches at work").
_CIRCUMSTANCE = re.compile(
    r"\s*,?\s*\b(?<!\bas )(?<!\beven )(?:(?:when|whenever|after|while|during|before|if|every time|each time)\b(?=\W+\w)|at (?:work|school|home|the gym)\b)",
    re.IGNORECASE)


def circumstance_split(text: str) -> tuple[str, str] | None:
    """The phrase as written before the words that say when or why it happens, and those words; None if it says
    no circumstance after some words of its own.

    >>> circumstance_split("I get heartburn after spicy food"), circumstance_split("headaches at work")
    (('I get heartburn', 'after spicy food'), ('headaches', 'at work'))
    >>> circumstance_split("after eating"), circumstance_split("night sweats"), circumstance_split("feels as if it is swollen")
    (None, None, None)
    """
    match = _CIRCUMSTANCE.search(text)
    if match is None:
        return None
    head = text[: match.start()]
    if not any(w not in STOPWORDS for w in normalize(head).split()):
        return None
    return head, text[match.start():].strip(" ,")


def content_tokens(text: str) -> list[str]:
    """The stems of a phrase's :func:`content_words`.

    >>> content_tokens("pain in my legs"), content_tokens("I've been feeling really out of it")
    (['pain', 'leg'], ['feel', 'out', 'of'])
    """
    return [stem(w) for w in content_words(text)]


def is_written_word(word: str) -> bool:
    """Whether a folded word is one a typo could be told apart from: four letters or more, no digits, no filler."""
    return len(word) >= 4 and not word.isdigit() and word not in STOPWORDS


def written_words(text: str) -> list[str]:
    """The words of a text as written (folded) that :func:`is_written_word` keeps.

    >>> written_words("Otorrhea, unspecified ear")
    ['otorrhea', 'unspecified']
    """
    return [w for w in normalize(text).split() if is_written_word(w)]


def written_word_set(texts: Iterable[str]) -> frozenset[str]:
    """The :func:`written_words` of many texts (the terms of a vocabulary): each distinct token is normalised
    once, not each text (ICD-10-CM's 110,000 titles and inclusion terms have 18,000 distinct tokens).

    >>> sorted(written_word_set(["Otorrhea, right ear", "Otorrhea, left ear"]))
    ['left', 'otorrhea', 'right']
    """
    return frozenset(w for token in {t for text in texts for t in text.split()} for w in written_words(token))


def strict_key(text: str) -> str:
    """:func:`key` by :func:`strict_stem`: two phrasings with one key but not this one say different words
    that stem alike. A word of four letters or more that is no English word, a misspelling, keeps its light
    stem: "sweling" is still "swelling".

    >>> key("HIV") == key("hives"), strict_key("HIV") == strict_key("hives"), strict_key("hive") == strict_key("hives")
    (True, False, True)
    >>> strict_key("sweling") == strict_key("swelling")
    True
    """
    return " ".join(sorted({strict_stem(w) if len(w) <= 3 or is_english_word(w) else stem(w) for w in content_words(text)}))


_EXCLUSION = re.compile(r"\s+without\b|,\s*not elsewhere classified\b", re.IGNORECASE)


def affirmed(text: str) -> str:
    """A clinical name without what it excludes: "Nausea without vomiting" names nausea, and its "vomiting"
    must not make it a match for "vomited three times". The name is kept whole when nothing would be left.

    >>> affirmed("Nausea without vomiting"), affirmed("Fever, not elsewhere classified"), affirmed("Without aura")
    ('Nausea', 'Fever', 'Without aura')
    """
    cut = _EXCLUSION.search(text)
    return text[: cut.start()] if cut and content_tokens(text[: cut.start()]) else text


def key(text: str) -> str:
    """An order-free key: two phrasings with the same key are the same expression.

    >>> key("Tingling, hands") == key("hand tingling")
    True
    >>> key("never hungry") == key("not hungry") == key("I'm not hungry"), key("I can't sleep") == key("unable to sleep")
    (True, True)
    """
    return " ".join(sorted(set(content_tokens(text))))


def char_text(text: str) -> str:
    """The text that character n-grams are taken from: the content stems in their order."""
    return " ".join(content_tokens(text))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """pyspellchecker's English words, kept pickled under ``~/.cache/hgap``: its gzipped JSON takes 0.19 s
    to read, the pickled set 0.03 s, and a one-phrase lookup from the command line pays it every time."""
    from importlib.metadata import version

    from hgap.ontology.pickles import atomic_pickle

    from .lexicon import cache_dir

    path = cache_dir() / f"english-words-{version('pyspellchecker')}.pickle"
    try:
        with path.open("rb") as f:
            words = pickle.load(f)
        if isinstance(words, frozenset):
            return words
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass  # absent or broken: made again
    from spellchecker import SpellChecker

    words = frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    atomic_pickle(path, words)
    return words


def is_english_word(word: str) -> bool:
    """Whether a folded word (:func:`normalize`) is an English word (pyspellchecker's English frequency list):
    a word to read as written, not a typo to correct ("throbbing" is not a misspelt "throwing").

    >>> is_english_word("throbbing"), is_english_word("raspy"), is_english_word("nausia")
    (True, True, False)
    """
    return word in _english_words()


def unknown_word_stems(text: str) -> set[str]:
    """The stems of a phrase's words that are not English words: the only ones worth reading as typos.

    >>> sorted(unknown_word_stems("my ear is throbbing, nausia"))
    ['nausia']
    """
    return {stem(w) for w in normalize(text).split() if not w.isdigit() and not is_english_word(w)}
