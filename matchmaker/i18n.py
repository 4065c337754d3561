"""Labels of the shortlist workbook in Dutch, English and French.

The committee reads Dutch, the Beninese partners French, the Rwandan partners English and French.
"""

from __future__ import annotations

import re
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
    # the reviewers' ratings of the motivation
    "review_section": ("Beoordelingen", "Reviews", "Évaluations"),
    "reviewers": ("Beoordelaars", "Reviewers", "Évaluateurs"),
    "ratings_given": ("Gegeven scores", "Ratings given", "Notes attribuées"),
    "aggregation": ("Samengevoegd met", "Combined by", "Combinées par"),
    "aggregate_mean": ("het gemiddelde", "the mean", "la moyenne"),
    "aggregate_median": ("de mediaan", "the median", "la médiane"),
    "aggregate_leniency": (
        "het gemiddelde, gecorrigeerd voor strenge en milde beoordelaars",
        "the mean, corrected for strict and lenient reviewers",
        "la moyenne, corrigée des évaluateurs sévères ou indulgents",
    ),
    "rubric_item": ("Rubriekitem", "Rubric item", "Critère de la grille"),
    "alpha": ("Krippendorffs alfa", "Krippendorff's alpha", "Alpha de Krippendorff"),
    "alpha_reading": ("Betekenis", "Reading", "Lecture"),
    "alpha_high": ("hoge overeenstemming", "high agreement", "accord élevé"),
    "alpha_moderate": ("matige overeenstemming", "moderate agreement", "accord modéré"),
    "alpha_low": ("lage overeenstemming", "low agreement", "accord faible"),
    "alpha_unknown": ("niet te berekenen", "cannot be computed", "non calculable"),
    "spread": ("Verschil", "Spread", "Écart"),
    "ratings_by_reviewer": ("Scores per beoordelaar", "Ratings by reviewer", "Notes par évaluateur"),
    "reviewer_disagreement": ("Beoordelaars oneens", "Reviewers disagree", "Désaccord des évaluateurs"),
    "no_reviews": ("Geen beoordelingen ingelezen.", "No reviews were given.", "Aucune évaluation fournie."),
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
    # the Flemish provinces, by their Dutch names as the reference data gives them
    "Antwerpen": ("Antwerpen", "Antwerp", "Anvers"),
    "Limburg": ("Limburg", "Limburg", "Limbourg"),
    "Oost-Vlaanderen": ("Oost-Vlaanderen", "East Flanders", "Flandre-Orientale"),
    "Vlaams-Brabant": ("Vlaams-Brabant", "Flemish Brabant", "Brabant flamand"),
    "West-Vlaanderen": ("West-Vlaanderen", "West Flanders", "Flandre-Occidentale"),
}

# How a name as written was read (schema.RESOLUTIONS).
_RESOLUTIONS: Final[dict[str, tuple[str, str, str]]] = {
    "exact": ("exacte naam", "exact name", "nom exact"),
    "alias": ("naam in een andere taal", "name in another language", "nom dans une autre langue"),
    "merged": ("naam van vóór de fusie", "name from before the merger", "nom d'avant la fusion"),
    "postal": ("postcode", "postal code", "code postal"),
    "fuzzy": ("bij benadering", "by similarity", "par similarité"),
    "not-flemish": ("niet Vlaams", "not Flemish", "non flamande"),
    "unresolved": ("niet herkend", "not recognised", "non reconnue"),
}

# "the province of X" as a sentence needs it; French puts an article or "de"/"du"/"d'" before it.
_PROVINCE_OF: Final[dict[str, tuple[str, str, str]]] = {
    "Antwerpen": ("provincie Antwerpen", "the province of Antwerp", "la province d'Anvers"),
    "Limburg": ("provincie Limburg", "the province of Limburg", "la province de Limbourg"),
    "Oost-Vlaanderen": (
        "provincie Oost-Vlaanderen",
        "the province of East Flanders",
        "la province de Flandre-Orientale",
    ),
    "Vlaams-Brabant": (
        "provincie Vlaams-Brabant",
        "the province of Flemish Brabant",
        "la province du Brabant flamand",
    ),
    "West-Vlaanderen": (
        "provincie West-Vlaanderen",
        "the province of West Flanders",
        "la province de Flandre-Occidentale",
    ),
}
_PROVINCE_OF_OTHER: Final = ("provincie {name}", "the province of {name}", "la province {name}")

# Working languages inside a sentence: "werkt in het Frans", "works in French", "travaille en français".
_IN_LANGUAGE: Final[dict[str, tuple[str, str, str]]] = {
    "nl": ("in het Nederlands", "in Dutch", "en néerlandais"),
    "fr": ("in het Frans", "in French", "en français"),
    "en": ("in het Engels", "in English", "en anglais"),
}
_OR: Final = ("of", "or", "ou")
_AND: Final = ("en", "and", "et")

# Sentences that explain the pairing. Fields in braces; a key ending in "_one" is the singular form
# `sentence` picks when n == 1. French country names take "le"/"au" (le Rwanda, au Bénin).
# French puts a no-break space before ":" and ";", so that a wrapped line never starts with one.
_SENTENCES: Final[dict[str, tuple[str, str, str]]] = {
    # why a candidate is or is not selected
    "selected": (
        "Geselecteerd: koppeling met {partner} {in_country}, {value} punten.",
        "Selected: paired with {partner} {in_country}, {value} points.",
        "Retenu\u00a0: associé à {partner} {in_country}, {value} points.",
    ),
    "locked": (
        "Vastgelegd door het comité: koppeling met {partner} {in_country}, {value} punten.",
        "Locked by the committee: paired with {partner} {in_country}, {value} points.",
        "Imposé par le comité\u00a0: associé à {partner} {in_country}, {value} points.",
    ),
    "not_selected": ("Niet geselecteerd:", "Not selected:", "Non retenu\u00a0:"),
    "not_selected_bare": ("Niet geselecteerd.", "Not selected.", "Non retenu."),
    "list_separator": ("; ", "; ", "\u00a0; "),
    "province_cap": (
        "{province_of} heeft al {n} geselecteerden ({names}).",
        "{province_of} already has {n} selected ({names}).",
        "{province_of} compte déjà {n} candidats retenus ({names}).",
    ),
    "province_cap_one": (
        "{province_of} heeft al {n} geselecteerde ({names}).",
        "{province_of} already has {n} selected ({names}).",
        "{province_of} compte déjà {n} candidat retenu ({names}).",
    ),
    "outranked": (
        "de beste koppeling levert {value} punten op, minder dan de geselecteerden {where} "
        "(laagste: {lowest}, {lowest_value}).",
        "its best pair is worth {value} points, less than those selected {where} "
        "(lowest: {lowest}, {lowest_value}).",
        "son meilleur couple vaut {value} points, moins que les candidats retenus {where} "
        "(le dernier\u00a0: {lowest}, {lowest_value}).",
    ),
    "in_country": ("in {country}", "in {country}", "au {country}"),
    "no_pair": (
        "geen mogelijke koppeling ({obstacles}).",
        "no possible pair ({obstacles}).",
        "aucun couple possible ({obstacles}).",
    ),
    "no_pair_bare": ("geen mogelijke koppeling.", "no possible pair.", "aucun couple possible."),
    "need_score": (
        "Met meer dan {points} punten extra zou het {names} vervangen.",
        "With more than {points} extra points it would replace {names}.",
        "Avec plus de {points} points supplémentaires, il remplacerait {names}.",
    ),
    "need_score_free": (
        "Met meer dan {points} punten extra zou het geselecteerd worden.",
        "With more than {points} extra points it would be selected.",
        "Avec plus de {points} points supplémentaires, il serait retenu.",
    ),
    "need_tie": (
        "Het staat gelijk en verliest op de volgorde bij gelijke waarde.",
        "It ties and loses on the tie-break.",
        "Il est à égalité et perd au départage.",
    ),
    "need_slots": (
        "Geen hogere score helpt: met deze kandidaat erbij blijven meer plaatsen open.",
        "No higher score helps: with it, more slots would stay open.",
        "Aucun score ne suffit\u00a0: avec ce candidat, plus de places resteraient vacantes.",
    ),
    "need_kept": (
        "Selecteren zou een koppeling ongedaan maken die het comité behield.",
        "Selecting it would undo a pair the committee kept.",
        "Le retenir déferait un couple maintenu par le comité.",
    ),
    "need_time_limit": (
        "De nodige score is niet berekend: de solver bereikte zijn tijdslimiet.",
        "The score needed was not computed: the solver reached its time limit.",
        "Le score nécessaire n'a pas été calculé\u00a0: le solveur a atteint sa limite de temps.",
    ),
    # why a pair is not possible
    "ob_language": (
        "{country} vraagt een delegatie die {languages} werkt",
        "{country} needs a delegation working {languages}",
        "le {country} demande une délégation travaillant {languages}",
    ),
    "ob_preference": (
        "voorkeur voor {asked}, niet voor {country}",
        "prefers {asked}, not {country}",
        "préférence pour le {asked}, pas pour le {country}",
    ),
    "ob_no_slots": (
        "geen plaatsen voor {country}",
        "no slots for {country}",
        "aucune place pour le {country}",
    ),
    "ob_partner_not_eligible": (
        "{partner} komt niet in aanmerking",
        "{partner} is not eligible",
        "{partner} n'est pas éligible",
    ),
    "ob_forbidden": (
        "koppeling met {partner} geweigerd",
        "the pair with {partner} is forbidden",
        "couple avec {partner} refusé",
    ),
    "ob_below_min": (
        "koppeling met {partner} is {value} punten waard, onder het minimum van {minimum}",
        "the pair with {partner} is worth {value} points, below the minimum of {minimum}",
        "le couple avec {partner} vaut {value} points, sous le minimum de {minimum}",
    ),
    "ob_no_partner": (
        "geen partner in aanmerking in {country}",
        "no eligible partner in {country}",
        "aucun partenaire éligible au {country}",
    ),
    # why slots stay open
    "unfilled_head": (
        "{filled} van {quota} plaatsen ingevuld: ",
        "{filled} of {quota} slots filled: ",
        "{filled} places pourvues sur {quota}\u00a0: ",
    ),
    "few_partners": (
        "slechts {n} partners in {country} komen in aanmerking",
        "only {n} eligible partners in {country}",
        "seulement {n} partenaires éligibles au {country}",
    ),
    "few_partners_one": (
        "slechts {n} partner in {country} komt in aanmerking",
        "only {n} eligible partner in {country}",
        "un seul partenaire éligible au {country}",
    ),
    "more_not_eligible": (
        " ({n} andere komen niet in aanmerking)",
        " ({n} more are not eligible)",
        " ({n} autres ne sont pas éligibles)",
    ),
    "more_not_eligible_one": (
        " ({n} andere komt niet in aanmerking)",
        " ({n} more is not eligible)",
        " ({n} autre n'est pas éligible)",
    ),
    "no_partners": (
        "geen partners in {country}",
        "no partners in {country}",
        "aucun partenaire au {country}",
    ),
    "few_candidates": (
        "slechts {n} kandidaten staan open voor {country}{speaking}",
        "only {n} eligible candidates accept {country}{speaking}",
        "seulement {n} candidats éligibles acceptent le {country}{speaking}",
    ),
    "few_candidates_one": (
        "slechts {n} kandidaat staat open voor {country}{speaking}",
        "only {n} eligible candidate accepts {country}{speaking}",
        "un seul candidat éligible accepte le {country}{speaking}",
    ),
    "few_candidates_none": (
        "geen enkele kandidaat staat open voor {country}{speaking}",
        "no eligible candidate accepts {country}{speaking}",
        "aucun candidat éligible n'accepte le {country}{speaking}",
    ),
    "speaking": (" en werken {languages}", " and work {languages}", " et travaillent {languages}"),
    "speaking_one": (" en werkt {languages}", " and works {languages}", " et travaille {languages}"),
    "speaking_none": (" en werkt {languages}", " and works {languages}", " et travaille {languages}"),
    "more_wrong_language": (
        "; nog {n} staan open voor {country} maar werken niet {languages}",
        "; {n} more accept {country} but do not work {languages}",
        "\u00a0; {n} autres acceptent le {country} mais ne travaillent pas {languages}",
    ),
    "more_wrong_language_one": (
        "; nog {n} staat open voor {country} maar werkt niet {languages}",
        "; {n} more accepts {country} but does not work {languages}",
        "\u00a0; {n} autre accepte le {country} mais ne travaille pas {languages}",
    ),
    "more_excluded": (
        " (nog {n} vallen af door geweigerde koppelingen of de minimumwaarde)",
        " ({n} more are excluded by forbidden pairs or the minimum value)",
        " ({n} autres sont exclus par des couples refusés ou la valeur minimale)",
    ),
    "more_excluded_one": (
        " (nog {n} valt af door geweigerde koppelingen of de minimumwaarde)",
        " ({n} more is excluded by forbidden pairs or the minimum value)",
        " ({n} autre est exclu par des couples refusés ou la valeur minimale)",
    ),
    "blocked": (
        "{n} kandidaten staan open voor {country}{speaking}",
        "{n} eligible candidates accept {country}{speaking}",
        "{n} candidats éligibles acceptent le {country}{speaking}",
    ),
    "blocked_one": (
        "{n} kandidaat staat open voor {country}{speaking}",
        "{n} eligible candidate accepts {country}{speaking}",
        "{n} candidat éligible accepte le {country}{speaking}",
    ),
    "elsewhere": (
        "; {n} daarvan zijn aan een ander land gekoppeld",
        "; {n} of them are paired with another country",
        "\u00a0; {n} d'entre eux sont associés à un autre pays",
    ),
    "elsewhere_one": (
        "; {n} daarvan is aan een ander land gekoppeld",
        "; {n} of them is paired with another country",
        "\u00a0; {n} d'entre eux est associé à un autre pays",
    ),
    "capped": (
        "; {n} komen uit een provincie die haar maximum van {cap} al bereikt heeft ({provinces})",
        "; {n} come from provinces already at the cap of {cap} ({provinces})",
        "\u00a0; {n} viennent de provinces ayant déjà atteint le maximum de {cap} ({provinces})",
    ),
    "capped_one": (
        "; {n} komt uit een provincie die haar maximum van {cap} al bereikt heeft ({provinces})",
        "; {n} comes from a province already at the cap of {cap} ({provinces})",
        "\u00a0; {n} vient d'une province ayant déjà atteint le maximum de {cap} ({provinces})",
    ),
    "no_room": (
        "; de vastgelegde koppelingen en de andere voorwaarden laten geen ruimte meer",
        "; the locked pairs and the other constraints leave no more room",
        "\u00a0; les couples imposés et les autres contraintes ne laissent plus de place",
    ),
    # why a pair of the previous shortlist is gone
    "gone_more_slots": (
        "een andere verdeling vult meer plaatsen",
        "another pairing fills more slots",
        "une autre répartition pourvoit plus de places",
    ),
    "gone_locked": (
        "een vastgelegde koppeling neemt de plaats in",
        "a locked pair takes its place",
        "un couple imposé prend sa place",
    ),
    "gone_not_candidate": (
        "de kandidaat komt niet meer in aanmerking",
        "the candidate is no longer eligible",
        "le candidat n'est plus éligible",
    ),
    "gone_no_partner": (
        "partner {partner} staat niet meer in de lijst",
        "partner {partner} is no longer listed",
        "le partenaire {partner} ne figure plus dans la liste",
    ),
    # reasons on the Partners sheet
    "partner_linked": (
        "heeft al een stedenband met een Vlaams lokaal bestuur",
        "has a city link with a Flemish local government",
        "a déjà un jumelage avec une collectivité flamande",
    ),
    # --- the Intake sheet: why a submission is not an eligible candidate (intake's reason codes) ---
    "reason_superseded": (
        "vervangen door inzending {by}",
        "superseded by submission {by}",
        "remplacée par la soumission {by}",
    ),
    "reason_not_flemish": (
        "geen Vlaams lokaal bestuur ({note})",
        "not a Flemish local government ({note})",
        "pas une collectivité locale flamande ({note})",
    ),
    "reason_unresolved": (
        "gemeente niet herkend ({note})",
        "municipality not recognised ({note})",
        "commune non reconnue ({note})",
    ),
    "reason_refuses": (
        "weigert een engagement: {commitment}",
        "refuses a commitment: {commitment}",
        "refuse un engagement\u00a0: {commitment}",
    ),
    "reason_not_confirmed": (
        "engagement niet bevestigd: {commitment}",
        "commitment not confirmed: {commitment}",
        "engagement non confirmé\u00a0: {commitment}",
    ),
    # how a name as written was read (reference.NOTE_CODES); names already quoted by `quoted`
    "note_no_name": ("geen naam ingevuld", "no name given", "aucun nom indiqué"),
    "note_province": (
        "{name} is een provincie, geen gemeente",
        "{name} names a province, not a municipality",
        "{name} désigne une province, pas une commune",
    ),
    "note_formula": (
        "{name} is een spreadsheetformule, geen naam",
        "{name} is a spreadsheet formula, not a name",
        "{name} est une formule de tableur, pas un nom",
    ),
    "note_province_conflict": (
        "{municipality} ligt in de {province_of}, maar de naam vermeldt {written}: "
        "welke gemeente is bedoeld?",
        "{municipality} is in {province_of}, but the name says {written}: which municipality is meant?",
        "{municipality} se trouve dans {province_of}, mais le nom indique {written}\u00a0: "
        "de quelle commune s'agit-il\u00a0?",
    ),
    "note_several": (
        "noemt meer dan één gemeente: {names}",
        "names more than one municipality: {names}",
        "désigne plusieurs communes\u00a0: {names}",
    ),
    "note_alias": ("{name} ({language})", "{name} ({language})", "{name} ({language})"),
    "note_merged": (
        "{former} is op {date} opgegaan in {municipality}",
        "{former} merged into {municipality} on {date}",
        "{former} a fusionné avec {municipality} le {date}",
    ),
    "note_not_flemish": ("{name} ligt {in_region}", "{name} is {in_region}", "{name} se trouve {in_region}"),
    "note_not_flemish_fuzzy": (
        "gelezen als {name} (tikfout?); {name} ligt {in_region}",
        "read as {name} (typo?); {name} is {in_region}",
        "lu comme {name} (faute de frappe\u00a0?)\u00a0; {name} se trouve {in_region}",
    ),
    "note_fuzzy": (
        "{written} gelezen als {municipality} (gelijkenis {similarity}): graag nakijken",
        "read {written} as {municipality} (similarity {similarity}): please check",
        "{written} lu comme {municipality} (similarité {similarity})\u00a0: à vérifier",
    ),
    "note_unknown": (
        "geen Belgische gemeente met de naam {name}",
        "no Belgian municipality called {name}",
        "aucune commune belge ne s'appelle {name}",
    ),
    "note_postal": (
        "gevonden via postcode {codes}",
        "found by postal code {codes}",
        "trouvée par le code postal {codes}",
    ),
    "note_postal_several": (
        "postcode {codes} hoort bij meer dan één gemeente: {names}",
        "postal code {codes} belongs to more than one municipality: {names}",
        "le code postal {codes} correspond à plusieurs communes\u00a0: {names}",
    ),
    "note_postal_conflict": (
        "de naam zegt {municipality}, maar postcode {codes} hoort bij {names}: welke gemeente is bedoeld?",
        "the name says {municipality}, but postal code {codes} belongs to {names}: "
        "which municipality is meant?",
        "le nom indique {municipality}, mais le code postal {codes} correspond à {names}\u00a0: "
        "de quelle commune s'agit-il\u00a0?",
    ),
    # intake issues: "issue_<kind>" or "issue_<kind>_<variant>" (intake.ISSUE_VARIANTS)
    "issue_missing_column": (
        "kolom ontbreekt in de export; de antwoorden blijven leeg",
        "column not in the export; the answers stay empty",
        "colonne absente de l'export\u00a0; les réponses restent vides",
    ),
    "issue_unanswered_date": ("geen datum", "no date", "pas de date"),
    "issue_unanswered_name": (
        "geen naam van het lokaal bestuur",
        "no name of the local government",
        "pas de nom de collectivité locale",
    ),
    "issue_unanswered_answer": ("niet beantwoord", "not answered", "sans réponse"),
    "issue_unreadable_answer_date": (
        "geen datum met tijdstip; leeg gelaten",
        "not a date and time; left empty",
        "pas une date et une heure\u00a0; laissé vide",
    ),
    "issue_unreadable_answer_yes_no": (
        "geen ja/nee-antwoord; leeg gelaten",
        "not a yes/no answer; left empty",
        "pas une réponse oui/non\u00a0; laissé vide",
    ),
    "issue_unreadable_answer_rating": (
        "geen geheel getal van {low} tot {high}; leeg gelaten",
        "not a whole number from {low} to {high}; left empty",
        "pas un nombre entier de {low} à {high}\u00a0; laissé vide",
    ),
    "issue_unknown_option_choice": (
        "geen van de antwoordmogelijkheden ({options}); leeg gelaten",
        "not one of the options ({options}); left empty",
        "aucune des options proposées ({options})\u00a0; laissé vide",
    ),
    "issue_unknown_option_multi": (
        "geen van de antwoordmogelijkheden; weggelaten",
        "not one of the options; left out",
        "aucune des options proposées\u00a0; omis",
    ),
    "issue_formula_like_text": (
        "begint zoals een spreadsheetformule; als gewone tekst bewaard",
        "starts like a spreadsheet formula; kept as plain text",
        "commence comme une formule de tableur\u00a0; conservé en texte brut",
    ),
    "issue_name_unresolved": (
        "gemeente niet herkend: {note}",
        "municipality not recognised: {note}",
        "commune non reconnue\u00a0: {note}",
    ),
    "issue_name_not_flemish": (
        "geen Vlaams lokaal bestuur: {note}",
        "not a Flemish local government: {note}",
        "pas une collectivité locale flamande\u00a0: {note}",
    ),
    "issue_name_low_confidence": ("{note}", "{note}", "{note}"),
    "issue_superseded_again": (
        "{municipality} diende opnieuw een kandidatuur in: inzending {by} telt",
        "{municipality} submitted again: submission {by} counts",
        "{municipality} a soumis une nouvelle candidature\u00a0: la soumission {by} compte",
    ),
    "issue_superseded_merger": (
        "{own} en {other} zijn sinds de fusie één gemeente, {municipality}: slechts één kandidatuur telt, "
        "de laatste, inzending {by} ({winner})",
        "{own} and {other} are one municipality since the merger, {municipality}: only one candidacy counts, "
        "the latest, submission {by} ({winner})",
        "{own} et {other} forment une seule commune depuis la fusion, {municipality}\u00a0: une seule "
        "candidature compte, la dernière, la soumission {by} ({winner})",
    ),
    "issue_superseded_undated_both": (
        "; geen van beide heeft een tijdstip van invullen, dus beslist het hoogste inzendingsnummer",
        "; neither has a completion time, so the higher submission number decides",
        "\u00a0; aucune des deux n'a d'heure de fin, le numéro de soumission le plus élevé l'emporte donc",
    ),
    "issue_superseded_undated_this": (
        "; deze inzending heeft geen tijdstip van invullen",
        "; this submission has no completion time",
        "\u00a0; cette soumission n'a pas d'heure de fin",
    ),
    "issue_superseded_similar": (
        "; die inzending vermeldt {winner}, bij benadering gelezen als {municipality}: graag nakijken",
        "; it names {winner}, read as {municipality} by similarity: please check",
        "\u00a0; elle indique {winner}, lu comme {municipality} par similarité\u00a0: à vérifier",
    ),
    "issue_same_completion_time": (
        "op hetzelfde moment ingevuld ({completed}) als inzending {by} van {municipality}; "
        "het hoogste inzendingsnummer, {by}, telt: graag nakijken",
        "completed at the same moment ({completed}) as submission {by} of {municipality}; "
        "the higher submission number, {by}, counts: please check",
        "complétée au même moment ({completed}) que la soumission {by} ({municipality})\u00a0; "
        "le numéro le plus élevé, {by}, compte\u00a0: à vérifier",
    ),
    "issue_bad_id_missing": (
        "geen inzendingsnummer; kreeg nummer {numbered}",
        "no submission number; numbered {numbered}",
        "pas de numéro de soumission\u00a0; numéro attribué\u00a0: {numbered}",
    ),
    "issue_bad_id_repeated": (
        "inzendingsnummer {id} komt twee keer voor; kreeg nummer {numbered}",
        "submission number {id} used twice; numbered {numbered}",
        "numéro de soumission {id} utilisé deux fois\u00a0; numéro attribué\u00a0: {numbered}",
    ),
    "issue_skipped_rows": (
        "{n} rijen boven de kopregel genegeerd",
        "{n} rows above the header row ignored",
        "{n} lignes au-dessus de la ligne d'en-tête ignorées",
    ),
    "issue_skipped_rows_one": (
        "{n} rij boven de kopregel genegeerd",
        "{n} row above the header row ignored",
        "{n} ligne au-dessus de la ligne d'en-tête ignorée",
    ),
    "issue_other_sheet_read_from": (
        "antwoorden gelezen uit blad {sheet}; overgeslagen: {passed}",
        "answers read from sheet {sheet}; passed over: {passed}",
        "réponses lues dans la feuille {sheet}\u00a0; feuilles ignorées\u00a0: {passed}",
    ),
    "issue_other_sheet_sheet": ("blad {sheet}", "sheet {sheet}", "feuille {sheet}"),
    "issue_time_order": (
        "begonnen ({started}) na het invullen ({completed}); een van beide tijdstippen klopt niet, "
        "en het tijdstip van invullen bepaalt welke inzending van een gemeente telt",
        "started ({started}) after it was completed ({completed}); one of the times is wrong, "
        "and the completion time decides which submission of a municipality counts",
        "commencée ({started}) après avoir été complétée ({completed})\u00a0; l'une des heures est erronée, "
        "et l'heure de fin détermine quelle soumission d'une commune compte",
    ),
    "issue_date_order_proven": (
        "de datums staan met {first} eerst, zoals {example} toont; "
        "alle datums van de export worden zo gelezen",
        "dates are written {first} first, as {example} shows; all dates of the export are read so",
        "les dates indiquent {first} en premier, comme le montre {example}\u00a0; toutes les dates de "
        "l'export sont lues ainsi",
    ),
    "issue_date_order_either": (
        "dag en maand kunnen omgewisseld zijn: de export schrijft zowel {a} als {b}; gelezen met {first} "
        "eerst, graag nakijken",
        "day and month could be swapped: the export writes both {a} and {b}; "
        "read {first} first, please check",
        "le jour et le mois pourraient être inversés\u00a0: l'export contient à la fois {a} et {b}\u00a0; "
        "lu avec {first} en premier, à vérifier",
    ),
    "issue_row_shape": (
        "meer cellen dan de {width} kolommen van de kopregel; de antwoorden kunnen verschoven zijn",
        "more cells than the {width} columns of the header; answers may be shifted",
        "plus de cellules que les {width} colonnes de l'en-tête\u00a0; les réponses peuvent être décalées",
    ),
    # the reviews block of the overview
    "disagreement_count": (
        "Verschil van {points} punten of meer",
        "Differing by {points} points or more",
        "Écart de {points} points ou plus",
    ),
    "disagreements_title": (
        "Waar beoordelaars {points} punten of meer verschillen",
        "Where reviewers differ by {points} points or more",
        "Où les évaluateurs divergent de {points} points ou plus",
    ),
    "no_disagreements": (
        "De beoordelaars verschillen nergens {points} punten of meer.",
        "Reviewers nowhere differ by {points} points or more.",
        "Les évaluateurs ne divergent nulle part de {points} points ou plus.",
    ),
    "alpha_note": (
        "Krippendorffs alfa: 1 = de beoordelaars zijn het volledig eens, 0 = niet beter dan toeval. "
        "Vanaf {high} is de overeenstemming hoog, onder {low} laag.",
        "Krippendorff's alpha: 1 = the reviewers fully agree, 0 = no better than chance. "
        "From {high} agreement is high, below {low} low.",
        "Alpha de Krippendorff\u00a0: 1 = les évaluateurs sont entièrement d'accord, 0 = pas mieux que le "
        "hasard. À partir de {high}, l'accord est élevé\u00a0; en dessous de {low}, il est faible.",
    ),
    "disagreement_prompt": (
        "Beoordelaars verschillen {points} punten of meer op dit item: lees de motivatie zelf. "
        "Zie Overzicht voor de scores per beoordelaar.",
        "Reviewers differ by {points} points or more on this item: read the motivation yourself. "
        "See Overzicht for each reviewer's rating.",
        "Les évaluateurs divergent de {points} points ou plus sur ce critère\u00a0: lisez la motivation "
        "vous-même. Voir Overzicht pour la note de chaque évaluateur.",
    ),
    "self_assessment_all": (
        "Geen beoordelingen ingelezen: de motivatiescore van {n} kandidaten komt uit hun zelfevaluatie "
        "op het formulier.",
        "No reviews were given: the motivation score of {n} candidates comes from their self-assessment "
        "on the form.",
        "Aucune évaluation fournie\u00a0: la note de motivation de {n} candidats vient de leur "
        "auto-évaluation dans le formulaire.",
    ),
    "self_assessment_all_one": (
        "Geen beoordelingen ingelezen: de motivatiescore van {n} kandidaat komt uit de zelfevaluatie "
        "op het formulier.",
        "No reviews were given: the motivation score of {n} candidate comes from its self-assessment "
        "on the form.",
        "Aucune évaluation fournie\u00a0: la note de motivation de {n} candidat vient de son "
        "auto-évaluation dans le formulaire.",
    ),
    "self_assessment_some": (
        "{n} kandidaten zonder beoordeling: voor hun motivatie telt de zelfevaluatie op het formulier "
        "({names}).",
        "{n} candidates without reviews: their self-assessment on the form counts for their motivation "
        "({names}).",
        "{n} candidats sans évaluation\u00a0: leur auto-évaluation dans le formulaire compte pour leur "
        "motivation ({names}).",
    ),
    "self_assessment_some_one": (
        "{n} kandidaat zonder beoordeling: voor de motivatie telt de zelfevaluatie op het formulier "
        "({names}).",
        "{n} candidate without reviews: its self-assessment on the form counts for its motivation ({names}).",
        "{n} candidat sans évaluation\u00a0: son auto-évaluation dans le formulaire compte pour sa "
        "motivation ({names}).",
    ),
    "motivation_unknown": (
        "{n} kandidaten zonder beoordeling en zonder zelfevaluatie: hun motivatie telt met de "
        "standaardwaarde uit de criteria ({names}).",
        "{n} candidates with neither reviews nor a self-assessment: their motivation counts at the "
        "criteria's default value ({names}).",
        "{n} candidats sans évaluation ni auto-évaluation\u00a0: leur motivation compte pour la valeur "
        "par défaut des critères ({names}).",
    ),
    "motivation_unknown_one": (
        "{n} kandidaat zonder beoordeling en zonder zelfevaluatie: de motivatie telt met de "
        "standaardwaarde uit de criteria ({names}).",
        "{n} candidate with neither reviews nor a self-assessment: its motivation counts at the "
        "criteria's default value ({names}).",
        "{n} candidat sans évaluation ni auto-évaluation\u00a0: sa motivation compte pour la valeur "
        "par défaut des critères ({names}).",
    ),
}

# The four commitments of the call, as a reason names them (intake's field codes).
_COMMITMENTS: Final[dict[str, tuple[str, str, str]]] = {
    "commit_sessions": (
        "deelnemen aan minstens 3 digitale sessies per jaar",
        "take part in at least 3 digital sessions a year",
        "participer à au moins 3 sessions numériques par an",
    ),
    "commit_visit": (
        "één werkbezoek afleggen en één delegatie ontvangen",
        "one work visit and hosting one delegation",
        "effectuer une visite de travail et accueillir une délégation",
    ),
    "commit_time": (
        "tijd investeren van januari 2024 tot december 2025",
        "invest the time from January 2024 to December 2025",
        "investir du temps de janvier 2024 à décembre 2025",
    ),
    "commit_feedback": (
        "feedback geven aan VVSG",
        "give feedback to VVSG",
        "faire part de ses retours à la VVSG",
    ),
}

# "is in the Walloon Region": the region after a verb, by its code in the reference data.
_IN_REGION: Final[dict[str, tuple[str, str, str]]] = {
    "03000": ("in het Waals Gewest", "in the Walloon Region", "en Région wallonne"),
    "04000": (
        "in het Brussels Hoofdstedelijk Gewest",
        "in the Brussels-Capital Region",
        "dans la Région de Bruxelles-Capitale",
    ),
}
_IN_REGION_OTHER: Final = ("buiten Vlaanderen", "outside Flanders", "hors de la Flandre")

# Why a sheet of the export was passed over, and which of day or month comes first.
_WORDS: Final[dict[str, tuple[str, str, str]]] = {
    "empty": ("leeg", "empty", "vide"),
    "hidden": ("verborgen", "hidden", "masquée"),
    "no_answers": ("geen formulierantwoorden", "no form answers", "pas de réponses au formulaire"),
    "day": ("de dag", "day", "le jour"),
    "month": ("de maand", "month", "le mois"),
}
_MONTH_NAMES: Final[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = (
    (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
)
# A quotation inside a sentence: French guillemets hold a no-break space on each side.
_QUOTES: Final = ("'{}'", "'{}'", "«\u00a0{}\u00a0»")

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


def sentence(key: str, lang: str = "nl", *, n: int | None = None, **fields: object) -> str:
    """The sentence `key` in `lang` with its fields filled in; `n` picks the singular when it is 1
    (and the "_none" form, where there is one, when it is 0) and is a field too."""
    k = _index(lang)
    chosen = key
    if n == 1 and f"{key}_one" in _SENTENCES:
        chosen = f"{key}_one"
    elif n == 0 and f"{key}_none" in _SENTENCES:
        chosen = f"{key}_none"
    if n is not None:
        fields["n"] = n
    return _SENTENCES[chosen][k].format(**fields)


def number(value: float, lang: str = "nl", decimals: int = 2) -> str:
    """A number written out in a sentence: comma decimals in Dutch and French."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang in ("nl", "fr") else text


def join_words(words: list[str], lang: str = "nl", *, conjunction: str = "and") -> str:
    """ "A, B en C" in Dutch, "A, B and C" in English, "A, B et C" in French (or with "or")."""
    if len(words) <= 1:
        return "".join(words)
    word = (_AND if conjunction == "and" else _OR)[_index(lang)]
    return f"{', '.join(words[:-1])} {word} {words[-1]}"


def province_of(province: str, lang: str = "nl") -> str:
    """ "provincie Oost-Vlaanderen", "the province of East Flanders", "la province de Flandre-Orientale"."""
    entry = _PROVINCE_OF.get(province)
    if entry is not None:
        return entry[_index(lang)]
    return _PROVINCE_OF_OTHER[_index(lang)].format(name=province)


def in_languages(codes: list[str], lang: str = "nl") -> str:
    """Working languages after a verb: "in het Frans of het Engels", "en français ou en anglais"."""
    k = _index(lang)
    phrases = [_IN_LANGUAGE[c][k] if c in _IN_LANGUAGE else c for c in codes]
    if lang == "nl" and len(phrases) > 1:  # "in het Frans of het Engels": one "in" for the list
        phrases = [phrases[0], *(p.removeprefix("in ") for p in phrases[1:])]
    if lang == "en" and len(phrases) > 1:
        phrases = [phrases[0], *(p.removeprefix("in ") for p in phrases[1:])]
    return join_words(phrases, lang, conjunction="or")


def has_sentence(key: str) -> bool:
    """Whether `sentence` knows `key` (in every language: each entry holds all three)."""
    return key in _SENTENCES


def commitment(field: str, lang: str = "nl") -> str | None:
    """A commitment of the call (its field code) as a reason words it; None for another field."""
    entry = _COMMITMENTS.get(field)
    return entry[_index(lang)] if entry else None


def in_region(region: str, lang: str = "nl") -> str:
    """ "in het Waals Gewest", "in the Walloon Region", "en Région wallonne" for a region code."""
    return _IN_REGION.get(region, _IN_REGION_OTHER)[_index(lang)]


def intake_word(key: str, lang: str = "nl") -> str:
    """A small word of an intake sentence (why a sheet was passed over, day or month)."""
    entry = _WORDS.get(key)
    return entry[_index(lang)] if entry else key


def quoted(text: str, lang: str = "nl") -> str:
    """Text as written by someone else, in quotes: 'Oudenarde', « Oudenarde »."""
    return _QUOTES[_index(lang)].format(text)


def long_date(iso: str, lang: str = "nl") -> str:
    """ "2025-01-01" as "1 januari 2025", "1 January 2025", "1er janvier 2025"; other text unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return iso
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    name = _MONTH_NAMES[_index(lang)][month - 1]
    first = "1er" if lang == "fr" and day == 1 else str(day)
    return f"{first} {name} {year}"


def moment(iso: str, lang: str = "nl") -> str:
    """A recorded date and time ("2023-10-16T10:30:00") as people write it: "16/10/2023 10:30" in
    Dutch and French, "2023-10-16 10:30" in English; seconds only when there are any."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?.*", iso.strip())
    if match is None:
        return iso
    year, month, day, hour, minute, second = match.groups()
    clock = f"{hour}:{minute}" + (f":{second}" if second and second != "00" else "")
    if lang == "en":
        return f"{year}-{month}-{day} {clock}"
    return f"{day}/{month}/{year} {clock}"


def resolution_label(method: str, lang: str = "nl") -> str:
    """How a name was read ("merged", "fuzzy"...) as words in `lang`; an unknown method as it is."""
    entry = _RESOLUTIONS.get(method)
    return entry[_index(lang)] if entry else method
