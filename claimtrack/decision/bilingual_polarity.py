"""Polarity concepts in both languages, with their inflected forms.

WordNet's antonyms (data/antonyms.json) are English only, so "Les ventes ont
augmenté" against "Sales fell" flips only if the French form is written somewhere.
These are the opposites news claims turn on (legal/illegal, allies/enemies,
released/arrested, lifted/imposed, imports/exports…), each pole in English and
French, written from general knowledge. Entries are lemmas: ``word:v`` is a verb,
``word:a`` an adjective, anything else is taken as written; the forms a claim uses
("augmentera", "augmentaient", "illégaux", "denied") are generated here, folded
(no accents) as text_features compares words.
"""

from __future__ import annotations

import unicodedata

# concept: (English positive, French positive, English negative, French negative).
# A concept named as in text_features.POLARITY_CONCEPTS adds forms to that concept.
CONCEPTS: dict[str, tuple[str, str, str, str]] = {
    "direction": (
        "increase:v rise rising rose risen grow:v grew grown double:v",
        "augmenter:v progresser:v grimper:v monter:v remonter:v doubler:v "
        "envoler:v flamber:v bondir:v rebondir:v accroitre accru accrue accrus "
        "accroit accroissent relever:v ameliorer:v accelerer:v renforcer:v "
        "elargir:v",
        "decrease:v fall falling fell fallen decline:v drop:v dropped dropping "
        "shrink:v shrank shrunk halve:v",
        "baisser:v diminuer:v reculer:v chuter:v plonger:v effondrer:v "
        "degringoler:v ralentir:v reduire reduit reduite reduits reduites "
        "reduisent reduction abaisser:v aggraver:v deteriorer:v degrader:v "
        "affaiblir:v retrecir:v",
    ),
    # A job, a measure or a state that lasts, or one that ends: "permanent
    # contracts" against "fixed-term contracts", "mesure provisoire".
    "duration": (
        "permanent open-ended lasting",
        "permanent:a definitif:a perenne:a durable:a",
        "temporary fixed-term casual short-term",
        "temporaire:a provisoire:a precaire:a",
    ),
    # How far something reaches: "the impact is limited" against "widespread".
    "extent": (
        "widespread broad",
        "generalise:a repandu:a massif:a",
        "limited narrow",
        "limite:a restreint:a",
    ),
    "legality": (
        "legal lawful legally lawfully",
        "legal:a licite:a legalement legaliser:v",
        "illegal unlawful illicit illegally unlawfully",
        "illegal:a illicite:a illegalement clandestin:a",
    ),
    "truth": (
        "true accurate truthful",
        "vrai:a exact:a veridique:a",
        "untrue inaccurate",
        "faux fausse fausses inexact:a errone:a mensonger mensongere",
    ),
    "strength": (
        "strong strongly",
        "fort:a solide:a puissant:a",
        "weak weakly",
        "faible:a",
    ),
    "level": (
        "high",
        "haut:a eleve elevee eleves elevees",
        "low",
        "bas basse basses faible:a",
    ),
    "ease": (
        "easy easier easiest easily",
        "facile:a facilement",
        "difficult difficulty",
        "difficile:a difficilement difficulte difficultes",
    ),
    "alliance": (
        "ally allies allied friend friends friendly",
        "allie:a ami:a amical amicale amicaux",
        "enemy enemies hostile foe foes adversary adversaries",
        "ennemi:a hostile:a adversaire:a",
    ),
    "success": (
        "succeed:v success successful successfully",
        "succes reussite reussir:v reussi reussie reussis",
        "fail:v failure failures unsuccessful",
        "echec echecs echouer:v",
    ),
    # A verdict and its reverse, in each language's legal words: "condamné pour
    # abus de confiance" against "relaxé" or "acquitted". Not "blanchir" (to launder).
    "guilt": (
        "convict:v",
        "condamner:v",
        "acquit acquits acquitted acquitting exonerate:v exculpate:v",
        "acquitter:v relaxer:v relaxe disculper:v innocenter:v",
    ),
    "custody": (
        "release:v freed",
        "liberer:v relacher:v liberation",
        "arrest:v detain:v jail:v imprison:v",
        "arreter:v arrestation arrestations detenu detenue detenus detenues "
        "emprisonner:v incarcerer:v",
    ),
    "restriction": (
        "lift:v ease:v relax:v",
        "lever:v assouplir:v",
        "impose:v tighten:v",
        "imposer:v durcir:v",
    ),
    "deployment": (
        "deploy:v",
        "deployer:v",
        "withdraw withdraws withdrew withdrawn withdrawing withdrawal",
        "retirer:v retrait",
    ),
    "continuation": (
        "resume:v restart:v",
        "reprendre reprend reprennent repris reprise relancer:v",
        "suspend:v halt:v",
        "suspendre suspend suspendent suspendu suspendue suspendus suspendues "
        "suspension interrompre interrompu interrompue interrompt",
    ),
    "cancellation": (
        "maintain:v uphold upheld upholds",
        "maintenir maintient maintiennent maintenu maintenue maintenus maintenues",
        "cancel:v cancelled cancelling scrap:v scrapped",
        "annuler:v annulation abroger:v",
    ),
    "trade": (
        "import:v imports",
        # Not "importe": "n'importe quel", "peu importe".
        "importer importent importee importees importes importation importations",
        "export:v exports",
        "exporter:v exportation exportations",
    ),
    "sign": (
        "positive positively",
        "positif positive positifs positives",
        "negative negatively",
        "negatif negative negatifs negatives",
    ),
    "approval": (
        "approve:v",
        "approuver:v adopter:v accepter:v valider:v soutenir soutenu soutenue "
        "soutient soutiennent",
        "reject:v",
        "rejeter rejete rejetee rejetes rejetees rejette rejettent retoquer:v "
        "refuser:v",
    ),
}


def fold(word: str) -> str:
    """Lowercase without accents; text_features.fold is this, cached (it imports
    this module, so the one implementation lives here)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def english_forms(entry: str) -> set[str]:
    """The forms of an English lemma: ``deny:v`` -> deny, denies, denied, denying."""
    word, _, kind = entry.partition(":")
    if kind != "v":
        return {word}
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return {word, word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    if word.endswith("e"):
        return {word, word + "s", word + "d", word[:-1] + "ing"}
    ending = "es" if word.endswith(("s", "sh", "ch", "x")) else "s"
    return {word, word + ending, word + "ed", word + "ing"}


def french_forms(entry: str) -> set[str]:
    """The folded forms of a French lemma: ``baisser:v`` -> baisse, baissera…"""
    word, _, kind = entry.partition(":")
    word = fold(word)
    if kind == "a":
        return _french_adjective(word)
    if kind != "v":
        return {word}
    stem = word[:-2]
    if word.endswith("ir"):
        return {word} | {
            stem + ending
            for ending in (
                *("i", "ie", "is", "ies", "it", "issent", "issait", "issaient"),
                *("ira", "iront", "irait", "iraient", "issement"),
            )
        }
    soft = stem + "e" if stem.endswith("g") else stem  # plonger: plongeait
    return (
        {word}
        | {
            stem + ending
            for ending in (
                *("e", "es", "ent", "ee", "ees", "era", "eront", "erait", "eraient"),
            )
        }
        | {soft + ending for ending in ("ait", "aient")}
    )


def _french_adjective(word: str) -> set[str]:
    if word.endswith("al"):
        return {word, word + "e", word + "es", word[:-2] + "aux"}
    if word.endswith("if"):
        return {word, word + "s", word[:-1] + "ve", word[:-1] + "ves"}
    if word.endswith("e"):
        return {word, word + "s"}
    return {word, word + "e", word + "s", word + "es"}


def bilingual_concepts() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """{concept: (positive forms, negative forms)}, folded, both languages."""
    concepts = {}
    for name, (en_up, fr_up, en_down, fr_down) in CONCEPTS.items():
        up = {f for e in en_up.split() for f in english_forms(e)} | {
            f for e in fr_up.split() for f in french_forms(e)
        }
        down = {f for e in en_down.split() for f in english_forms(e)} | {
            f for e in fr_down.split() for f in french_forms(e)
        }
        # A form on both sides ("negative" is also French) would flip nothing.
        concepts[name] = (frozenset(up - down), frozenset(down - up))
    return concepts
