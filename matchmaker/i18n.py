"""Labels of the shortlist workbook in Dutch, English and French.

The committee reads Dutch, the Beninese partners French, the Rwandan partners English and French.
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("nl", "en", "fr")

# key -> (nl, en, fr)
_LABELS: Final[dict[str, tuple[str, str, str]]] = {
    # titles and sections
    "shortlist": ("Shortlist", "Shortlist", "Liste restreinte"),
    "title": (
        "Shortlist SDG-partnerschappen",
        "SDG partnerships shortlist",
        "Liste restreinte des partenariats ODD",
    ),
    "slots": ("Plaatsen per land", "Slots per country", "Places par pays"),
    "budget": ("Budget", "Budget", "Budget"),
    "run": ("Deze berekening", "This run", "Ce calcul"),
    "changes": (
        "Wijzigingen tegenover de vorige shortlist",
        "Changes from the previous shortlist",
        "Changements par rapport à la liste précédente",
    ),
    "how_to_decide": ("Zo beslist het comité", "How the committee decides", "Comment le comité décide"),
    "sheets": ("Bladen in dit werkboek", "Sheets in this workbook", "Feuilles de ce classeur"),
    "criteria": ("Criteria en gewichten", "Criteria and weights", "Critères et pondérations"),
    "constraints": ("Voorwaarden", "Constraints", "Contraintes"),
    "fit_settings": ("Punten voor de koppeling", "Points for the pair", "Points pour le couple"),
    "language_rules": ("Taalregels", "Language rules", "Règles de langue"),
    "decisions": (
        "Vastgelegde en uitgesloten koppelingen",
        "Locked and forbidden pairs",
        "Couples imposés et interdits",
    ),
    "inputs": ("Invoerbestanden", "Input files", "Fichiers d'entrée"),
    "versions": ("Versies", "Versions", "Versions"),
    "rubric": ("Beoordelingsrubriek", "Review rubric", "Grille d'évaluation"),
    "chart_title": ("Score per kandidaat", "Score per candidate", "Score par candidat"),
    # column headers
    "country": ("Land", "Country", "Pays"),
    "quota": ("Plaatsen", "Slots", "Places"),
    "filled": ("Ingevuld", "Filled", "Pourvues"),
    "open": ("Open", "Open", "Ouvertes"),
    "reason": ("Reden", "Reason", "Raison"),
    "reasons": ("Redenen", "Reasons", "Raisons"),
    "rank": ("Rang", "Rank", "Rang"),
    "municipality": ("Gemeente", "Municipality", "Commune flamande"),
    "refnis": ("NIS-code", "NIS code", "Code INS"),
    "province": ("Provincie", "Province", "Province"),
    "partner": ("Partner", "Partner", "Partenaire"),
    "region": ("Regio", "Region", "Région"),
    "value": ("Waarde koppeling", "Pair value", "Valeur du couple"),
    "score": ("Score", "Score", "Score"),
    "decision": ("Beslissing", "Decision", "Décision"),
    "pair_with": ("Koppelen aan", "Pair with", "Associer à"),
    "change": ("Wijziging", "Change", "Changement"),
    "note": ("Opmerking", "Note", "Remarque"),
    "languages": ("Talen", "Languages", "Langues"),
    "themes": ("Thema's", "Themes", "Thèmes"),
    "selected": ("Geselecteerd", "Selected", "Retenu"),
    "why": ("Waarom (niet)", "Why (not)", "Pourquoi (pas)"),
    "score_needed": ("Nodige score", "Score needed", "Score nécessaire"),
    "motivation": ("Motivatie", "Motivation", "Motivation"),
    "motivation_text": ("Motivatie (antwoord)", "Motivation (answer)", "Motivation (réponse)"),
    "projects": ("Projecten en beleid", "Projects and policy", "Projets et politique"),
    "city_link": ("Stedenband", "City link", "Jumelage"),
    "contact_name": ("Contactpersoon", "Contact person", "Personne de contact"),
    "contact_function": ("Functie", "Position", "Fonction"),
    "contact_email": ("E-mail contactpersoon", "Contact e-mail", "Courriel de contact"),
    "respondent": ("Ingevuld door", "Submitted by", "Soumis par"),
    "respondent_email": ("E-mail invuller", "Submitter e-mail", "Courriel de l'auteur"),
    "submission": ("Inzending", "Submission", "Soumission"),
    "completed": ("Ingevuld op", "Completed", "Complété le"),
    "name_as_written": ("Naam zoals ingevuld", "Name as written", "Nom tel qu'écrit"),
    "resolution": ("Herkenning", "Name resolution", "Identification"),
    "kind": ("Soort", "Kind", "Type"),
    "column": ("Kolom", "Column", "Colonne"),
    "answer": ("Antwoord", "Answer", "Réponse"),
    "problem": ("Probleem of reden", "Problem or reason", "Problème ou raison"),
    "alternative": ("Alternatief", "Alternative", "Alternative"),
    "objective": ("Totale waarde", "Total value", "Valeur totale"),
    "gap": ("Verschil met beste", "Gap to best", "Écart au meilleur"),
    "differs": ("Anders dan beste", "Differs from best", "Diffère du meilleur"),
    "eligible": ("In aanmerking", "Eligible", "Éligible"),
    "setting": ("Instelling", "Setting", "Paramètre"),
    "setting_value": ("Waarde", "Value", "Valeur"),
    "weight": ("Gewicht", "Weight", "Pondération"),
    "source": ("Bron", "Source", "Source"),
    "description": ("Omschrijving", "Description", "Description"),
    "file": ("Bestand", "File", "Fichier"),
    "role_forms": ("Kandidaturen", "Candidacies", "Candidatures"),
    "role_partners": ("Partners", "Partners", "Partenaires"),
    "role_reviews": ("Beoordeling", "Review", "Évaluation"),
    "role_mapping": ("Kolomindeling", "Column mapping", "Correspondance des colonnes"),
    "chart_top": ("beste {n}", "top {n}", "{n} premiers"),
    "chart_selected": ("donker = geselecteerd", "dark = selected", "foncé = retenu"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256"),
    "component": ("Onderdeel", "Component", "Composant"),
    # components of a score or a pair value
    "involvement": ("Betrokkenheid", "Involvement", "Implication"),
    "no_city_link": ("Geen stedenband", "No city link", "Pas de jumelage"),
    "preference_match": ("Voorkeur land", "Country preference", "Pays préféré"),
    "no_preference": ("Geen voorkeur", "No preference", "Sans préférence"),
    "theme_overlap": ("Gedeelde thema's", "Shared themes", "Thèmes communs"),
    "language_match": ("Werktaal", "Working language", "Langue de travail"),
    "fit": ("Passendheid", "Fit", "Adéquation"),
    "language": ("Werktaal", "Working language", "Langue de travail"),
    "preference": ("Voorkeur land", "Country preference", "Pays préféré"),
    "reviews": ("Beoordeling", "Review", "Évaluation"),
    # key/value labels
    "per_partnership": ("Per partnerschap", "Per partnership", "Par partenariat"),
    "flemish_side": ("Vlaamse kant", "Flemish side", "Côté flamand"),
    "partner_side": ("Partnerkant", "Partner side", "Côté partenaire"),
    "partnerships_filled": ("Ingevulde partnerschappen", "Partnerships filled", "Partenariats pourvus"),
    "total": ("Totaal", "Total", "Total"),
    "created": ("Datum", "Date", "Date"),
    "status": ("Status oplossing", "Solution status", "Statut de la solution"),
    "solver": ("Solver", "Solver", "Solveur"),
    "criteria_file": ("Criteriabestand", "Criteria file", "Fichier de critères"),
    "criteria_name": ("Oproep", "Call", "Appel"),
    "max_per_province": ("Max. per provincie", "Max. per province", "Max. par province"),
    "min_value": ("Minimale waarde koppeling", "Minimum pair value", "Valeur minimale du couple"),
    "tie_break": ("Bij gelijke waarde", "Ties broken by", "En cas d'égalité"),
    "no_limit": ("geen", "none", "aucune"),
    "locked": ("vast", "locked", "imposé"),
    "forbidden": ("geweigerd", "forbidden", "interdit"),
    "excluded": ("uitgesloten", "excluded", "exclu"),
    "yes": ("ja", "yes", "oui"),
    "no": ("nee", "no", "non"),
    "pending": ("in voorbereiding", "pending", "en préparation"),
    "any": ("geen voorkeur", "no preference", "sans préférence"),
    "hard": ("verplicht", "required", "obligatoire"),
    "soft": ("pluspunt", "bonus", "bonus"),
    "any_of": ("een van", "one of", "l'une de"),
    "engine": ("matchmaker", "matchmaker", "matchmaker"),
    "optimal": ("optimaal", "optimal", "optimale"),
    "feasible": (
        "haalbaar, niet bewezen optimaal",
        "feasible, not proven optimal",
        "réalisable, optimalité non prouvée",
    ),
    "none": ("geen", "none", "aucun"),
    # kinds in the Intake sheet
    "not_eligible": ("niet in aanmerking", "not eligible", "non éligible"),
    "superseded": (
        "vervangen door latere inzending",
        "superseded by a later submission",
        "remplacée par une soumission ultérieure",
    ),
    "input_problem": ("invoerprobleem", "input problem", "problème de saisie"),
    # changes
    "kept": ("behouden", "kept", "maintenu"),
    "added": ("nieuw", "new", "nouveau"),
    "removed": ("vervallen", "dropped", "supprimé"),
    "dropped": ("vervallen", "dropped", "supprimé"),
    "row": ("rij", "row", "ligne"),
    "instead_of": ("in plaats van", "instead of", "au lieu de"),
    "replaced_by": ("vervangen door", "replaced by", "remplacé par"),
    # instructions
    "decide_pairs": (
        "Koppelingen, kolom Beslissing: 'vast' = deze koppeling behouden, 'weiger' = deze koppeling nooit.",
        "Koppelingen, column Decision: 'keep' = keep this pair, 'reject' = never this pair.",
        "Koppelingen, colonne Décision : 'garder' = garder ce couple, 'refuser' = jamais ce couple.",
    ),
    "decide_candidates": (
        "Shortlist, kolom Beslissing: 'uitsluiten' = kandidaat niet koppelen; "
        "kolom Koppelen aan: een partner kiezen = die koppeling vastleggen.",
        "Shortlist, column Decision: 'exclude' = do not pair this candidate; "
        "column Pair with: choose a partner = lock that pair.",
        "Shortlist, colonne Décision : 'exclure' = ne pas associer ce candidat ; "
        "colonne Associer à : choisir un partenaire = imposer ce couple.",
    ),
    "decide_rerun": (
        "Daarna: matchmaker pair ... --decisions DIT_BESTAND.xlsx berekent opnieuw en wijzigt zo weinig "
        "mogelijk andere koppelingen.",
        "Then: matchmaker pair ... --decisions THIS_FILE.xlsx re-solves, changing as few other pairs "
        "as possible.",
        "Ensuite : matchmaker pair ... --decisions CE_FICHIER.xlsx recalcule en change le moins possible "
        "d'autres couples.",
    ),
    "pairs_prompt": (
        "vast = koppeling behouden; weiger = deze koppeling nooit",
        "keep = keep this pair; reject = never this pair",
        "garder = garder ce couple ; refuser = jamais ce couple",
    ),
    "candidates_prompt": (
        "uitsluiten = deze kandidaat niet koppelen",
        "exclude = do not pair this candidate",
        "exclure = ne pas associer ce candidat",
    ),
    "pair_with_prompt": (
        "Kies een partner om deze koppeling vast te leggen",
        "Choose a partner to lock this pair",
        "Choisissez un partenaire pour imposer ce couple",
    ),
    "contacts_left_out": (
        "Contactgegevens zijn weggelaten (gebruik --include-contacts om ze op te nemen).",
        "Contact details are left out (use --include-contacts to include them).",
        "Les coordonnées sont omises (utilisez --include-contacts pour les inclure).",
    ),
    "budget_note": (
        "Elk partnerschap krijgt het budget, gelijk verdeeld tussen de Vlaamse kant en de partnerkant.",
        "Each partnership gets the budget, split equally between the Flemish side and the partner side.",
        "Chaque partenariat reçoit le budget, réparti à parts égales entre le côté flamand et le côté "
        "partenaire.",
    ),
}

# Codes from the candidate record shown as words.
_CODES: Final[dict[str, tuple[str, str, str]]] = {
    "nl": ("Nederlands", "Dutch", "néerlandais"),
    "fr": ("Frans", "French", "français"),
    "en": ("Engels", "English", "anglais"),
    "innovation": ("Innovatie", "Innovation", "Innovation"),
    "decent_work": ("Waardig werk", "Decent work", "Travail décent"),
    "inequality": ("Ongelijkheid", "Inequality", "Inégalités"),
    "renewable_energy": ("Hernieuwbare energie", "Renewable energy", "Énergies renouvelables"),
    "mayor_aldermen": ("Burgemeester of schepen", "Mayor or alderman", "Bourgmestre ou échevin"),
    "council": ("Gemeenteraad", "Municipal council", "Conseil communal"),
    "general_director": ("Algemeen directeur", "General director", "Directeur général"),
    "civil_servants": ("Ambtenaren", "Civil servants", "Fonctionnaires"),
    "civil_society": ("Middenveld", "Civil society", "Société civile"),
    "schools": ("Scholen", "Schools", "Écoles"),
    "companies": ("Bedrijven", "Companies", "Entreprises"),
    "advisory_council": (
        "Adviesraad internationale samenwerking",
        "Advisory council on international cooperation",
        "Conseil consultatif de la coopération internationale",
    ),
    "Rwanda": ("Rwanda", "Rwanda", "Rwanda"),
    "Benin": ("Benin", "Benin", "Bénin"),
}

# What the committee may write, in any of the three languages.
PAIR_DECISIONS: Final[dict[str, str]] = {
    "vast": "lock",
    "behouden": "lock",
    "keep": "lock",
    "lock": "lock",
    "garder": "lock",
    "weiger": "forbid",
    "weigeren": "forbid",
    "reject": "forbid",
    "forbid": "forbid",
    "refuser": "forbid",
}
CANDIDATE_DECISIONS: Final[dict[str, str]] = {
    "uitsluiten": "exclude",
    "weiger kandidaat": "exclude",
    "exclude": "exclude",
    "exclure": "exclude",
}
_DECISION_WORDS: Final = {
    "lock": ("vast", "keep", "garder"),
    "forbid": ("weiger", "reject", "refuser"),
    "exclude": ("uitsluiten", "exclude", "exclure"),
}


def _index(lang: str) -> int:
    try:
        return LANGS.index(lang)
    except ValueError:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}") from None


def label(key: str, lang: str = "nl") -> str:
    """The label `key` in `lang`; an unknown key is shown as it is."""
    entry = _LABELS.get(key)
    return entry[_index(lang)] if entry else key


def code_label(code: str, lang: str = "nl") -> str:
    """A code of the candidate record (language, theme, actor, country) as a word in `lang`."""
    entry = _CODES.get(code)
    return entry[_index(lang)] if entry else code


def decision_word(kind: str, lang: str = "nl") -> str:
    """The word the workbook offers for a decision kind ("lock", "forbid", "exclude") in `lang`."""
    return _DECISION_WORDS[kind][_index(lang)]
