"""Lines of a page that are furniture, not content: bylines, credits, ads, headings.

trafilatura (``sources.parse_html``) removes most of a page's furniture, but bylines,
photo credits, subscribe boxes, "Lire aussi" links, embedded posts and copyright lines
survive inside the main text, and plain-text or JSONL articles carry them as written.
They are recognised line by line from their wording: no library lists them, and each
pattern below is a convention of news pages rather than of one outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimtrack.extract.lexicons import BOILERPLATE

# A line this long is prose even when it mentions a newsletter or a photo.
_MAX_WORDS = 40
# Headings: a short line that does not end like a sentence.
_MAX_HEADING_WORDS = 25
_SENTENCE_END = (".", "!", "?", "…", "»", "”", '"', ")", ":", ";")

_ANY_LANGUAGE = [
    r"©",
    r"\bcopyright\b",
    r"pic\.twitter\.com",
    r"^\s*@\w+\s*$",
    r"\(@\w{2,}\)",  # "— Jane Doe (@janedoe) May 3, 2024": an embedded post
    r"^\s*(https?://|www\.)\S+\s*$",
    # ">> Titre d'un autre article", "► VIDÉO …", "→ Read the full report": an arrow
    # before a line is how pages mark a link to another page, never a sentence.
    r"^\s*(>>|»»|→|►|▶|▸|➜|➔|⇒)\s*\S",
    # "Loading…", a player's or a widget's placeholder.
    r"^(loading|chargement( en cours)?)\s*(\.\.\.|…)?\s*$",
    # The marks that end a wire story: "(END)", "-30-", "###", "(FIN)".
    r"^\s*(\(\s*(end|fin)\s*\)|-30-|#{3})\s*$",
]
# Lines that are not prose whatever their length (a table row can run to 60 words).
_STRUCTURE_PATTERNS = [
    # Code and tables, flattened into lines by trafilatura: a shell prompt ("$ pip
    # install …"), a table row or a drawn file tree ("| Domaine | 91 |", "|   |--
    # src"), an import, a method call ("self.browser.get(url)"). Prose has none.
    r"^\s*\$\s+\S",
    r"^\s*(from\s+[\w.]+\s+)?import\s+[\w.]+(\s*,\s*[\w.]+)*\s*$",
    r"(?-i:\b[a-z_]\w*\.[a-z_]\w*\()",
    # A reference list: "^ Smith, J. (2015) …", "Retrieved 4 December 2017",
    # "arXiv:1706.02582", "doi:10.1038/…", "(PDF)", "ISBN 978-…".
    r"^\s*([-•*]\s*)?\^\s",
    r"\bretrieved (on )?(\d{1,2} [a-z]+ \d{4}|[a-z]+ \d{1,2}, \d{4}|\d{4}-\d\d-\d\d)",
    r"\barxiv:\s?\d|\bdoi:\s?10\.|\(pdf\)|\bisbn\b",
]
_STRUCTURE = re.compile("|".join(f"(?:{p})" for p in _STRUCTURE_PATTERNS), re.I)
# A table cell holds a value or a phrase. Old pages lay a whole story out in one
# cell ("| The Associated Press … |"): a cell that long is prose, not a table.
_MAX_TABLE_CELL_WORDS = 30
_PATTERNS: dict[str, list[str]] = {
    "fr": [
        r"^(par|propos recueillis par)\s+[A-ZÀ-Ý][\w'’.-]+(\s+[A-ZÀ-Ý][\w'’.-]+)*"
        r"\s*(,|$|et\s+[A-ZÀ-Ý])",
        # "Article mis à jour le 7 janvier 2020", "Dernière mise à jour : 12h05".
        r"^((article|page|dernière|texte)\s+)?"
        r"(publié|mis à jour|modifié|actualisé|mise à jour)\b.*\d",
        r"^(le\s+)?\d{1,2}(er)?\s+\w+\s+\d{4}\s+(à|-)\s+\d{1,2}\s*[h:]",
        r"abonnez-vous|inscrivez-vous|s'abonner|s’abonner|déjà abonné"
        r"|réservé aux abonnés|newsletter|lettre d'information|lettre d’information"
        r"|offre d'abonnement",
        r"^(lire aussi|à lire aussi|a lire aussi|lire également|à lire également"
        r"|voir aussi|à voir aussi|sur le même sujet|à écouter|écouter aussi"
        r"|regarder aussi"
        r"|notre sélection|en savoir plus|pour aller plus loin)\b",
        r"tous droits réservés",
        r"^(photo|photos|crédit|crédits|illustration|image|vidéo)\s*:",
        # Credits by label: "Écrit par : …", "Image d'en-tête : …", "Source : …".
        r"^(écrit|rédigé|texte|traduit|traduction)\s+(par)?\s*:"
        r"|^(image|photo) (d'|d’)?(en-tête|de une|principale|de couverture)\s*:"
        r"|^\(?(source|sources|auteur|autrice)\s*:",
        # "Avec AFP", "Marie Dupont a contribué à cet article".
        r"^avec (l')?(afp|reuters|ap)\s*$|\b(a|ont) contribué à (cet|cette) "
        r"(article|enquête|reportage)",
        r"(/|\s)(afp|reuters|ap|getty images|maxppp|abaca|sipa|epa|hans lucas)"
        r"\s*\)?\s*$",
        r"^(publicité|contenu sponsorisé|sponsorisé|partenaire|annonce)\s*$",
        r"^(partager|partagez|commenter|réagir|envoyer par e-mail|copier le lien"
        r"|suivez-nous|retrouvez-nous|cliquez|téléchargez)\b",
        r"voir cette publication sur|une publication partagée par",
        # "Pour réécouter son interview, cliquez sur l'icône": a player's caption.
        r"\bcliquez (ici|sur)\b"
        r"|\b(ré)?écoute[rz]? (son|l'|l’|cette) (interview|émission)",
        r"^(faire un don|faites un don|je donne|soutenez-nous|nous soutenir)\b",
        # Notes about the page itself: "NDLR : …", "Cet article a été publié à
        # l'origine dans …", "Une version précédente de cet article …".
        r"^(ndlr|note de la rédaction)\b"
        r"|\b(une|la) (version|première version) précédente de cet article\b"
        r"|\bcet article (a été|est) (initialement|d'abord|à l'origine) (publié|paru)",
        # The page's own notices: affiliate links, cookies.
        r"\bliens? (d'|d’)?affiliation\b|\bliens? affiliés?\b"
        r"|\bpercevoir une commission\b|\b(utilise|utilisons) des cookies\b"
        r"|\b(accepter|refuser|gérer) (les |des )?cookies\b"
        r"|\bliens? (commerciaux|sponsorisés)\b|\bsi vous (achetez|cliquez) .{0,40}"
        r"\b(via|sur) (nos|ces|les) liens\b",
        # The widgets of publishing systems: credits by label, the newsletter's
        # replies, the comment box, the share buttons.
        r"^(édité|édition|réalisé|réalisation|montage|illustration)( par)?\s*:",
        r"\bvous (pouvez |pourrez )?vous (désinscrire|désabonner)\b"
        r"|^merci (pour|de) votre inscription\b"
        r"|\bvérifiez (vos|votre dossier( de)?) (courriers )?(indésirables|spams)\b",
        r"^(laisser|laissez|ajouter) un commentaire\b|\bcharte de (modération|"
        r"commentaires)\b|^\d+\s+commentaires?\s*$|^réagir à cet article\b",
        r"^(j'aime|j’aime)\s+chargement\b|\(s'ouvre dans (un nouvel onglet|une "
        r"nouvelle fenêtre)\)",
    ],
    "en": [
        r"^(by|reporting by|writing by|editing by|additional reporting by|compiled by)"
        r"\s+[A-Z][\w'’.-]+",
        r"^((article|story|page)\s+)?"
        r"(updated|published|posted|last updated|first published)\b.*\d",
        r"^subscribe\b|\bsubscribe (to|now|for|today)\b|\bsign up (for|to) (our|the)\b"
        r"|newsletter|already a subscriber|create a free account"
        r"|support our journalism|donate now|make a donation",
        r"^(read more|related|more on this|read also|see also|recommended|most read"
        r"|trending|watch|listen|more from|latest news|you might also like)\b",
        r"all rights reserved",
        r"^(photo|photograph|image|picture|credit|video)\s*:",
        # Credits by label: "Written by: …", "Header image: …", "Sourcing: …".
        r"^(written|words|text|story|translated)( by)?\s*:"
        r"|^(header|featured|top|main|lead|cover) (image|photo|picture)\s*:"
        r"|^(image|photo|picture) (credit|credits|courtesy)\b"
        r"|^\(?(source|sources|sourcing)\s*:",
        # A press release's own small print: "The term "Acme" is used in this release
        # for convenience …", "This release contains forward-looking statements".
        r"\b(used|referred to) in this (press |news )?release\b"
        r"|\bforward-looking statements\b",
        # "Jane Doe contributed to this report", "… contributed reporting".
        r"\bcontributed (reporting|to this (report|story|article))\b",
        r"\b(getty images|ap photo|afp via getty|shutterstock|pa wire|pa media)\b",
        r"(/|\s)(afp|reuters|ap|epa|getty)\s*\)?\s*$",
        r"^(advertisement|sponsored|sponsored content|ad|story continues below"
        r"( advertisement)?)\s*$",
        r"^(share|share this|click to share|email|print|follow us|click here"
        r"|download the app)\b",
        r"view this post on instagram|a post shared by",
        r"\bclick (here|on the (icon|link|button))\b",
        r"^this (article|story) (was|has been) (originally )?(published|updated)",
        # Notes about the page itself: "Editor's note: …", "This article originally
        # appeared in …", "… is republished from The Conversation", "An earlier version
        # of this story misstated …", "… delivered to your inbox".
        r"^editor(’|')?s note\b"
        r"|\b(article|story|piece|post) (was )?(originally|first) (appeared|published"
        r"|ran) (in|on|at|by)\b|\b(article|story) is republished\b"
        r"|\brepublished (here )?with permission\b"
        r"|\ban? (earlier|previous) version of this (article|story|report)\b"
        r"|\bdelivered (straight )?to your inbox\b",
        # The page's own notices: affiliate links, cookies.
        r"\baffiliate links?\b|\b(earn|receive|get) (a )?(small )?commission\b"
        r"|\b(we|site|website) uses? cookies\b|\baccept (all )?cookies\b"
        r"|\bcookie (policy|settings|preferences)\b"
        r"|\bif you (buy|purchase|click) (something |anything )?(through|via|on) "
        r"(our|these|the) links?\b|\bshare of (the )?(sale|revenue) from\b",
        # The widgets every publishing system prints inside the story: a credit by
        # phrase ("Illustration by Ana Ruiz / The Ledger"), the newsletter sign-up's
        # replies, the advert's placeholder, the comment box, the share buttons
        # ("Like this:", "Like Loading…", "(Opens in new window)").
        r"^(photo|photograph|illustration|image|video|graphic|screenshot|animation)s?"
        r"\s+(by|courtesy of|via)\s+[A-Z]"
        r"|^(edited|reported|produced|compiled|adapted|illustrated)( by)?\s*:",
        r"\byou (can|may) unsubscribe\b|\bunsubscribe (at any time|link)\b"
        r"|^thanks for (signing up|subscribing)\b"
        r"|\bcheck your (junk|spam) folder\b|\bwelcome email\b"
        r"|\b(will|'ll|’ll) (soon )?be in your inbox\b",
        r"\badvertisement has not loaded\b|\b(your )?article continues below\b",
        r"\bcomments may take\b|\bcomment(ing)? (policy|guidelines)\b"
        r"|\bcommunity guidelines\b|^(join|start) the (conversation|discussion)\b"
        r"|^leave a (comment|reply)\b|^\d+\s+comments?\s*$",
        r"^(like|share) this\s*:?\s*$|^like\s+loading\b"
        r"|\(opens in (a )?new (window|tab)\)",
    ],
}
_COMPILED = {
    language: re.compile("|".join(f"(?:{p})" for p in patterns + _ANY_LANGUAGE), re.I)
    for language, patterns in _PATTERNS.items()
}
# Bylines name people: their names must keep their capitals ("Par ailleurs, …").
_CASE_SENSITIVE = {
    "fr": re.compile(
        r"^(Par|Propos recueillis par)\s+(?!ailleurs|exemple|contre|conséquent)"
        r"[A-ZÀ-Ý]"
    ),
    "en": re.compile(
        r"^(By|Reporting by|Writing by|Editing by|Additional reporting by)\s+[A-Z]"
    ),
}
_BYLINE = {
    "fr": re.compile(r"^(par|propos recueillis par)\s", re.I),
    "en": re.compile(r"^(by|reporting by|writing by|editing by|additional)\s", re.I),
}


def is_boilerplate(line: str, language: str) -> bool:
    """Whether a line of an article is page furniture rather than content."""
    text = line.strip()
    if not text:
        return False
    if text.lower().rstrip(" :.") in BOILERPLATE.get(language, frozenset()):
        return True
    if is_name_list(text) or is_table_row(text) or _STRUCTURE.search(text):
        return True
    if len(text.split()) > _MAX_WORDS:
        return False
    pattern = _COMPILED.get(language, _COMPILED["en"])
    match = pattern.search(text)
    if match is None:
        return False
    byline = _BYLINE.get(language, _BYLINE["en"])
    if byline.match(text):
        # "Par ailleurs, le ministre a …" is prose; "Par Jean Dupont" is a byline.
        cased = _CASE_SENSITIVE.get(language, _CASE_SENSITIVE["en"])
        return bool(cased.match(text)) and len(text.split()) <= 15
    return True


# A team sheet, a cast or a list of authors: names shortened to an initial ("M. Depay",
# "J. de Souza"), often glued to shirt numbers when the page's table cells are
# flattened ("EFFECTIFS22J. Delaplace23T. Monconduit"). Prose that names three people
# this way ("M. Macron a reçu M. Scholz et M. Sánchez") still has lowercase words: a
# verb, an article; a list has none but name particles.
_INITIAL_NAME = re.compile(
    r"(?<![A-ZÀ-Ý])[A-ZÀ-Ý]\.\s?(?:(?:de|da|di|del|dos|du|le|la|van|von)\s)?"
    r"[A-ZÀ-Ý][\w'’-]"
)
_MIN_LISTED_NAMES = 3
_LOWERCASE_WORD = re.compile(r"(?<![\wÀ-ÿ'’-])[a-zà-ÿ][a-zà-ÿ'’-]{3,}")


def is_table_row(line: str) -> bool:
    """Whether a line is a table row flattened by trafilatura: "| Domaine | 91 |".

    Example:
        >>> is_table_row("| Domaine | 91 |"), is_table_row("|   |-- src")
        (True, True)
        >>> is_table_row("| " + "The mayor said the plan would cut costs. " * 5 + "|")
        False
    """
    if not line.lstrip().startswith("|"):
        return False
    cells = line.split("|")
    return max(len(cell.split()) for cell in cells) <= _MAX_TABLE_CELL_WORDS


def is_name_list(line: str) -> bool:
    """Whether a line only lists people by initial and name (a line-up, a cast), or
    lists names alone ("Collège de France, École normale supérieure, Institut Curie,
    …": the members of a body, the partners of a project)."""
    return (
        len(_INITIAL_NAME.findall(line)) >= _MIN_LISTED_NAMES
        and _LOWERCASE_WORD.search(line) is None
    ) or _is_bare_list(line)


# A list of names: six items or more, each capitalised and too short to be a clause.
_LIST_SEPARATOR = re.compile(r",|;|\s+(?:et|and|ou|or)\s+")
_MIN_LIST_ITEMS = 6
_MAX_ITEM_WORDS = 8
_LIST_ARTICLE = re.compile(r"^(the|l'|l’|la|le|les)\s*(?=\S)", re.I)


def _is_bare_list(line: str) -> bool:
    items = [i.strip() for i in _LIST_SEPARATOR.split(line.strip().rstrip(".;"))]
    items = [_LIST_ARTICLE.sub("", i) for i in items if i]
    return (
        len(items) >= _MIN_LIST_ITEMS
        and all(i[0].isupper() or i[0].isdigit() for i in items)
        and all(len(i.split()) <= _MAX_ITEM_WORDS for i in items)
    )


# "Lire aussi", "LIRE AUSSI SUR REGARDS.FR", "Read more:" alone on a line: a label whose
# following lines are the titles of the linked articles, not the story.
_LINK_LABEL: dict[str, str] = {
    "fr": r"(à |a )?(lire|voir|écouter|regarder) (aussi|également|encore)"
    r"|sur le même sujet|articles? similaires|notre sélection|nos articles"
    r"|la sélection de la rédaction|nos recommandations"
    r"|pour aller plus loin|en savoir plus"
    r"|liens externes|bibliographie|(notes et )?références",
    "en": r"(read|see|watch|listen) (more|also|next)|related( articles| stories)?"
    r"|recommended|more on this( story)?|you (may|might) also like|further reading"
    r"|more stories|external links|bibliography|(notes and )?references"
    r"|editors?(’|')? (recommendations|picks)|recommended for you",
}
# The label alone, or with the site it points to ("sur regards.fr", "on BBC News").
_WHOLE_LABEL = {
    language: re.compile(
        rf"\s*(?:{label})(?:\s+(?:sur|de|du|on|from)\s+\S+(?:\s\S+)?)?\s*:?"
        # A wiki's section link: "References[edit]", "Bibliographie[modifier le code]".
        r"(?:\s*\[(?:edit|modifier|modifier le code)\])?\s*",
        re.I,
    )
    for language, label in _LINK_LABEL.items()
}


def is_link_label(line: str, language: str) -> bool:
    """Whether a line is only a "read also" label announcing links on the next lines."""
    label = _WHOLE_LABEL.get(language, _WHOLE_LABEL["en"])
    return label.fullmatch(line) is not None


# "Revue Projet : Savons-nous encore débattre ? …": a linked page's name, a colon,
# then its title and blurb; what a "read also" label lists when it is not titles alone.
_TEASER = re.compile(r"^[A-ZÀ-Ý][^.!?:;]{0,60}?\s?:\s+\S")
_MAX_TEASER_NAME_WORDS = 6


def is_teaser(line: str) -> bool:
    """Whether a line reads "Name : title …", the shape of a listed link."""
    match = _TEASER.match(line.strip())
    return (
        match is not None
        and len(match.group(0).split(":")[0].split()) <= _MAX_TEASER_NAME_WORDS
    )


def content_lines(
    lines: Iterable[tuple[int, str, bool]], language: str
) -> Iterator[tuple[int, str, bool]]:
    """The (offset, line, starts_a_paragraph) lines that are not page furniture.

    Besides furniture lines, the titles listed under a "read also" label go: they are
    shaped like headings (no sentence end) and follow the label directly.
    """
    after_label = False
    listed = list(lines)
    for number, (offset, text, paragraph) in enumerate(listed):
        if after_label and (is_heading(text) or is_teaser(text)):
            continue
        after_label = is_link_label(text, language)
        if after_label or is_boilerplate(text, language):
            continue
        if len(listed) - number <= _BIO_LINES and is_author_bio(text):
            continue
        yield offset, text, paragraph


# An author's note at the foot of the page: "Max Dupont is an award-winning journalist
# and the author of …", "Jeanne Martin est journaliste indépendante …". It opens with a
# name and a role of writing, and comes last; the same words in the story ("Morales, a
# former journalist, …") come earlier and are not shaped as a note.
_BIO_LINES = 2
_NAME = r"[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3}"
_WRITER = (
    r"journalist|reporter|writer|author|editor|correspondent|columnist|contributor"
    r"|freelance|blogger|photographer|journaliste|rédact|auteur|autrice|écrivain"
    r"|correspondant|chroniqueu|pigiste|photographe"
)
_AUTHOR_BIO = re.compile(
    rf"^\s*{_NAME},?\s+(?:(?:is|was|est|était|has been)\s+(?:\S+\s+){{0,6}}?"
    rf"(?:{_WRITER})|(?:covers|writes about|reports on|couvre)\s)",
)


def is_author_bio(line: str) -> bool:
    """Whether a line reads like an author's note: a name, "is a … journalist"."""
    return _AUTHOR_BIO.match(line) is not None


# A dateline or kicker that opens a paragraph: "MEXICO CITY (AP) —", "KATHMANDU,
# April 25 (Reuters) -", "Paris (AFP) –", "LE POINT SUR LA SITUATION -". Words in
# capitals (or a place and an agency in brackets), an optional date, then a dash and
# the sentence itself; the wire convention of every outlet, not of one page.
_UPPER_WORD = r"[A-ZÀ-Ý][A-ZÀ-Ý'’.\-]+"
_DATELINE = re.compile(
    rf"^\s*(?:{_UPPER_WORD}(?:\s+{_UPPER_WORD}){{0,7}}"
    r"|[A-ZÀ-Ý][\w'’.\-]+(?:\s+[A-ZÀ-Ý][\w'’.\-]+){0,3}(?=,?[^—–-]*\([A-Za-z .]+\)))"
    r"(?:,\s*(?:[A-ZÀ-Ýa-zà-ÿ]+\.?\s+\d{1,2}|\d{1,2}(?:er)?\s+[a-zà-ÿ]+\.?)"
    r"(?:,?\s+\d{4})?)?"
    r"(?:\s*\((?:AP|AFP|Reuters|Belga|ANSA|dpa|EFE|Xinhua|[A-Z]{2,6})\))?"
    r"\s*[—–-]\s+(?=[«“\"'A-ZÀ-Ý])"
)


def dateline_end(line: str) -> int:
    """Where the text of a line starts after its dateline or kicker (0 if none)."""
    match = _DATELINE.match(line)
    if match is None or len(line) - match.end() < 20:
        return 0
    return match.end()


def is_heading(line: str) -> bool:
    """Whether a line is a title or sub-heading: short, not ended like a sentence."""
    text = line.strip()
    return (
        bool(text)
        and "\n" not in text
        and len(text.split()) <= _MAX_HEADING_WORDS
        and not text.endswith(_SENTENCE_END)
    )
