"""Word lists the rule-based extractor uses, per language.

Lemmas, lower case. Reporting verbs introduce what someone asserts; "according to" phrases
attribute a statement without a verb; boilerplate lines are never claims.
"""

REPORTING_VERBS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        """
        affirmer ajouter annoncer assurer avertir avouer confirmer constater croire
        déclarer démentir dire écrire estimer expliquer indiquer insister jurer juger
        maintenir marteler mettre nier noter observer penser préciser prévenir prétendre
        promettre rappeler reconnaître rapporter répéter répondre révéler signaler
        souligner soutenir craindre admettre accuser dénoncer alerter
        """.split()
    ),
    "en": frozenset(
        """
        acknowledge add admit allege announce argue assert believe claim comment concede
        confirm contend declare deny disclose emphasize estimate explain fear find
        insist maintain mention note observe point predict promise reaffirm recall
        remark report reveal say state stress suggest tell testify think warn write
        """.split()
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

QUOTE_MARKS = "«»“”„\"‹›"
