"""Word lists the rule-based extractor uses, per language.

Lemmas, lower case. Reporting verbs introduce what someone asserts; "according to"
phrases attribute a statement without a verb; boilerplate lines are never claims.
"""

REPORTING_VERBS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "affirmer",
            "ajouter",
            "annoncer",
            "assurer",
            "avertir",
            "avouer",
            "confirmer",
            "constater",
            "croire",
            "déclarer",
            "démentir",
            "dire",
            "écrire",
            "estimer",
            "expliquer",
            "indiquer",
            "insister",
            "jurer",
            "juger",
            "maintenir",
            "marteler",
            "mettre",
            "nier",
            "noter",
            "observer",
            "penser",
            "préciser",
            "prévenir",
            "prétendre",
            "promettre",
            "rappeler",
            "reconnaître",
            "rapporter",
            "répéter",
            "répondre",
            "révéler",
            "signaler",
            "souligner",
            "soutenir",
            "craindre",
            "admettre",
            "accuser",
            "dénoncer",
            "alerter",
        ]
    ),
    "en": frozenset(
        [
            "acknowledge",
            "add",
            "admit",
            "allege",
            "announce",
            "argue",
            "assert",
            "believe",
            "claim",
            "comment",
            "concede",
            "confirm",
            "contend",
            "declare",
            "deny",
            "disclose",
            "emphasize",
            "estimate",
            "explain",
            "fear",
            "find",
            "insist",
            "maintain",
            "mention",
            "note",
            "observe",
            "point",
            "predict",
            "promise",
            "reaffirm",
            "recall",
            "remark",
            "report",
            "reveal",
            "say",
            "state",
            "stress",
            "suggest",
            "tell",
            "testify",
            "think",
            "warn",
            "write",
        ]
    ),
}

# Prepositions that attribute a statement without a reporting verb ("selon X").
ACCORDING_TO: dict[str, frozenset[str]] = {
    "fr": frozenset({"selon", "d'après"}),
    "en": frozenset({"according"}),
}

# Paragraphs that are site furniture, not content (compared case-insensitively).
BOILERPLATE: dict[str, frozenset[str]] = {
    "fr": frozenset(
        {"articles similaires", "lire aussi", "à lire aussi", "publicité", "partager"}
    ),
    "en": frozenset(
        {"related articles", "read more", "advertisement", "share this article"}
    ),
}

QUOTE_MARKS = '«»“”„"'

# Word lists that the check-worthiness features and the hedging/negation flags use.
# Each list holds forms and lemmas with the same meaning in both languages, so that a
# model trained on English features scores French sentences on the same scale.
HEDGES: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "probablement",
            "peut-être",
            "possiblement",
            "semble",
            "semblent",
            "sembler",
            "paraît",
            "apparemment",
            "pourrait",
            "pourraient",
            "devrait",
            "devraient",
            "aurait",
            "auraient",
            "serait",
            "seraient",
            "vraisemblablement",
            "éventuellement",
            "présumé",
            "supposé",
        ]
    ),
    "en": frozenset(
        [
            "probably",
            "perhaps",
            "maybe",
            "possibly",
            "likely",
            "unlikely",
            "seem",
            "seems",
            "seemed",
            "appear",
            "appears",
            "apparently",
            "might",
            "could",
            "would",
            "should",
            "may",
            "allegedly",
            "reportedly",
            "supposedly",
        ]
    ),
}
NEGATIONS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "ne",
            "n'",
            "pas",
            "jamais",
            "aucun",
            "aucune",
            "rien",
            "personne",
            "ni",
            "non",
            "guère",
        ]
    ),
    "en": frozenset(
        [
            "not",
            "n't",
            "no",
            "never",
            "nobody",
            "nothing",
            "none",
            "neither",
            "nor",
            "without",
        ]
    ),
}
OPINION_VERBS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "penser",
            "croire",
            "sembler",
            "espérer",
            "souhaiter",
            "aimer",
            "vouloir",
            "sentir",
        ]
    ),
    "en": frozenset(
        ["think", "believe", "feel", "hope", "wish", "want", "like", "love", "guess"]
    ),
}
FIRST_PERSON_SINGULAR: dict[str, frozenset[str]] = {
    "fr": frozenset(["je", "j'", "moi", "me", "m'", "mon", "ma", "mes"]),
    "en": frozenset(["i", "me", "my", "mine", "myself"]),
}
FIRST_PERSON_PLURAL: dict[str, frozenset[str]] = {
    "fr": frozenset(["nous", "notre", "nos"]),
    "en": frozenset(["we", "us", "our", "ours", "ourselves"]),
}
SECOND_PERSON: dict[str, frozenset[str]] = {
    "fr": frozenset(["vous", "votre", "vos", "tu", "te", "toi", "ton", "ta", "tes"]),
    "en": frozenset(["you", "your", "yours", "yourself"]),
}
PREDICTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "sera",
            "seront",
            "va",
            "vont",
            "pourrait",
            "pourraient",
            "devrait",
            "devraient",
            "prévoir",
        ]
    ),
    "en": frozenset(
        ["will", "would", "could", "might", "going", "forecast", "predict"]
    ),
}
CAUSAL_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "parce",
            "car",
            "cause",
            "provoquer",
            "entraîner",
            "donc",
            "conséquence",
            "grâce",
        ]
    ),
    "en": frozenset(
        [
            "because",
            "caused",
            "cause",
            "due",
            "therefore",
            "led",
            "result",
            "consequence",
            "thanks",
        ]
    ),
}
COMPARATIVE_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        ["plus", "moins", "davantage", "record", "doublé", "triplé", "hausse", "baisse"]
    ),
    "en": frozenset(
        [
            "more",
            "less",
            "fewer",
            "than",
            "record",
            "doubled",
            "tripled",
            "increase",
            "decrease",
        ]
    ),
}
POLICY_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "loi",
            "projet",
            "réforme",
            "gouvernement",
            "sanction",
            "sanctions",
            "budget",
            "impôt",
            "taxe",
        ]
    ),
    "en": frozenset(
        [
            "law",
            "bill",
            "policy",
            "reform",
            "government",
            "sanctions",
            "budget",
            "tax",
            "taxes",
        ]
    ),
}
