"""The demo's people, units and case files, loaded idempotently (natural keys, get-or-create)."""

import datetime
import io

from django.db import transaction

from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.identity import crypto, nrn
from eservices.identity.models import Company, User
from eservices.units.models import StaffMembership, StaffRole, Unit

from . import access, dashboards, deposits, mailbox, pages
from .files import make_pdf, make_xlsx

UNITS = [
    (
        "SECM",
        Unit.Kind.SERVICE,
        "Service d'évaluation et de contrôle médicaux",
        "Dienst voor geneeskundige evaluatie en controle",
        "Dienst für medizinische Evaluation und Kontrolle",
        "Medical Evaluation and Control Service",
    ),
    (
        "FD",
        Unit.Kind.LEADING_OFFICIAL,
        "Fonctionnaire dirigeant du SECM",
        "Leidend ambtenaar van de DGEC",
        "Leitender Beamter des DMEK",
        "Leading Official of the SECM",
    ),
    (
        "CPI",
        Unit.Kind.REGISTRY,
        "Greffe de la Chambre de première instance",
        "Griffie van de Kamer van eerste aanleg",
        "Kanzlei der Kammer erster Instanz",
        "Registry of the Chamber of First Instance",
    ),
    (
        "CR",
        Unit.Kind.REGISTRY,
        "Greffe de la Chambre de recours",
        "Griffie van de Kamer van beroep",
        "Kanzlei der Berufungskammer",
        "Registry of the Chamber of Appeal",
    ),
]

# username, first name, last name, language, unit, role
STAFF = [
    ("agent.secm", "Sophie", "Lambert", "fr", "SECM", StaffRole.AGENT),
    ("inspecteur.dgec", "Pieter", "Janssens", "nl", "SECM", StaffRole.AGENT),
    ("chef.secm", "Marc", "Dupont", "fr", "SECM", StaffRole.UNIT_LEAD),
    ("fd.secm", "Anne", "Claes", "nl", "FD", StaffRole.AGENT),
    ("greffier.cpi", "Julie", "Renard", "fr", "CPI", StaffRole.REGISTRY_CLERK),
    ("griffier.kea", "Tom", "Peeters", "nl", "CPI", StaffRole.REGISTRY_CLERK),
    ("greffier.cr", "Luc", "Martin", "fr", "CR", StaffRole.REGISTRY_CLERK),
    ("beheerder", "Els", "Wouters", "nl", "SECM", StaffRole.ADMINISTRATOR),
]

# username, first name, last name, language, INAMI number (blank for non-providers)
CITIZENS = [
    ("dr.dubois", "Marie", "Dubois", "fr", "10012345001"),
    ("dr.peeters", "Jan", "Peeters", "nl", "10023456002"),
    ("kine.leroy", "Nathalie", "Leroy", "fr", "50034567003"),
    ("apotheker.maes", "Koen", "Maes", "nl", "60045678004"),
    ("dr.simon", "Philippe", "Simon", "fr", "10056789005"),
    ("tandarts.willems", "Sarah", "Willems", "nl", "30067890006"),
    ("infirmier.laurent", "David", "Laurent", "fr", "40078901007"),
    ("dr.jacobs", "Lies", "Jacobs", "nl", "10089012008"),
    ("dr.mertens", "Bart", "Mertens", "nl", "10090123009"),
    ("logo.francois", "Claire", "François", "fr", "70001234010"),
    ("dr.goossens", "Hilde", "Goossens", "nl", "10011223011"),
    ("dr.lefebvre", "Olivier", "Lefebvre", "fr", "10022334012"),
    ("dr.schmitz", "Klaus", "Schmitz", "de", "10033445013"),
    ("gerant.medilab", "Isabelle", "Michel", "fr", ""),
    ("me.vandamme", "Thomas", "Van Damme", "nl", ""),
    ("me.rousseau", "Camille", "Rousseau", "fr", ""),
    ("me.hermans", "Eva", "Hermans", "nl", ""),
    ("avocat.service", "Pierre", "Lemaire", "fr", ""),
    ("curateur.dumont", "Jacques", "Dumont", "fr", ""),
    ("erfgenaam.smets", "An", "Smets", "nl", ""),
]

# Fake national register numbers (valid check digits) that the development identity provider gives as egovNRN.
NATIONAL_NUMBERS = {
    "agent.secm": "75.03.13-667.54",
    "inspecteur.dgec": "58.02.27-549.67",
    "chef.secm": "61.06.19-060.14",
    "fd.secm": "87.04.02-089.57",
    "greffier.cpi": "82.07.03-247.76",
    "griffier.kea": "60.09.14-061.66",
    "greffier.cr": "91.02.08-646.69",
    "beheerder": "95.10.02-591.56",
    "dr.dubois": "92.07.02-227.45",
    "dr.peeters": "57.09.28-137.89",
    "kine.leroy": "73.07.05-554.05",
    "apotheker.maes": "62.10.10-574.13",
    "dr.simon": "98.03.04-596.05",
    "tandarts.willems": "91.11.07-382.38",
    "infirmier.laurent": "61.09.23-065.07",
    "dr.jacobs": "91.01.20-211.40",
    "dr.mertens": "86.11.18-438.32",
    "logo.francois": "75.08.19-946.18",
    "dr.goossens": "84.06.10-255.87",
    "dr.lefebvre": "66.12.25-250.82",
    "dr.schmitz": "60.10.10-538.07",
    "gerant.medilab": "86.06.24-460.86",
    "me.vandamme": "73.10.03-121.34",
    "me.rousseau": "87.07.06-776.47",
    "me.hermans": "76.03.16-432.26",
    "avocat.service": "57.11.03-783.13",
    "curateur.dumont": "90.10.26-897.89",
    "erfgenaam.smets": "75.06.23-359.83",
    "nieuw.persoon": "88.04.12-113.45",
}

# Levels of assurance each demo identity can log in with at the development identity provider.
LEVEL_400 = "urn:be:fedict:iam:fas:Level400"
LEVEL_450 = "urn:be:fedict:iam:fas:Level450"
LEVEL_500 = "urn:be:fedict:iam:fas:Level500"
STAFF_LEVELS = [LEVEL_500, LEVEL_450]  # Level450 (itsme) shows the back office's refusal
CITIZEN_LEVELS = [LEVEL_450, LEVEL_500]
EXTRA_LEVELS = {"dr.dubois": [LEVEL_400]}  # Level400 shows the portal's refusal

# Known to the identity provider only: their first login creates them in the portal.
NEWCOMERS = [("nieuw.persoon", "Lotte", "Vermeulen", "nl")]

COMPANIES = [("0412345614", "Medilab SRL"), ("0498765486", "Zorgcentrum De Linde VZW")]

# reference, kind, subject, language, status, concerned username (or company number), lawyer username
CASE_FILES = [
    (
        "SECM/2026/001201",
        "investigation",
        "Contrôle de prestations de biologie clinique",
        "fr",
        "open",
        "dr.dubois",
        "me.rousseau",
    ),
    (
        "SECM/2026/001202",
        "investigation",
        "Onderzoek naar aangerekende verstrekkingen kinesitherapie",
        "nl",
        "open",
        "dr.peeters",
        "me.vandamme",
    ),
    ("SECM/2026/001203", "evaluation", "Évaluation de la prescription d'antibiotiques", "fr", "open", "kine.leroy", ""),
    (
        "SECM/2026/001204",
        "investigation",
        "Controle van terugbetaalde geneesmiddelen",
        "nl",
        "pending_decision",
        "apotheker.maes",
        "me.hermans",
    ),
    (
        "SECM/2026/001205",
        "investigation",
        "Contrôle de la facturation en maison de repos",
        "fr",
        "closed",
        "0412345614",
        "me.rousseau",
    ),
    (
        "SECM/2025/000877",
        "evaluation",
        "Evaluatie van voorschrijfgedrag beeldvorming",
        "nl",
        "closed",
        "tandarts.willems",
        "",
    ),
    (
        "SECM/2026/001206",
        "investigation",
        "Contrôle de soins infirmiers à domicile",
        "fr",
        "open",
        "infirmier.laurent",
        "",
    ),
    (
        "SECM/2026/001207",
        "investigation",
        "Onderzoek naar niet-verrichte verstrekkingen",
        "nl",
        "open",
        "0498765486",
        "me.vandamme",
    ),
    (
        "FD/2026/000311",
        "leading_official",
        "Procédure pour prestations non conformes",
        "fr",
        "pending_decision",
        "dr.simon",
        "me.rousseau",
    ),
    ("FD/2026/000312", "leading_official", "Procedure wegens overconsumptie", "nl", "open", "dr.jacobs", "me.hermans"),
    (
        "FD/2026/000313",
        "leading_official",
        "Procédure pour prestations non effectuées",
        "fr",
        "decided",
        "logo.francois",
        "",
    ),
    (
        "FD/2025/000290",
        "leading_official",
        "Procedure wegens niet-conforme verstrekkingen",
        "nl",
        "closed",
        "dr.mertens",
        "",
    ),
    (
        "CPI/2026/0042",
        "first_instance",
        "Recours contre une décision du fonctionnaire dirigeant",
        "fr",
        "open",
        "dr.lefebvre",
        "me.rousseau",
    ),
    (
        "CPI/2026/0043",
        "first_instance",
        "Vordering tot terugbetaling van verstrekkingen",
        "nl",
        "open",
        "dr.goossens",
        "me.vandamme",
    ),
    (
        "CPI/2026/0044",
        "first_instance",
        "Verfahren wegen nicht konformer Leistungen",
        "de",
        "pending_decision",
        "dr.schmitz",
        "",
    ),
    ("CPI/2026/0045", "first_instance", "Action en récupération d'indu", "fr", "decided", "dr.dubois", "me.rousseau"),
    ("CPI/2025/0398", "first_instance", "Vordering inzake overconsumptie", "nl", "closed", "dr.peeters", "me.vandamme"),
    (
        "CR/2026/0017",
        "appeal",
        "Appel d'une décision de la Chambre de première instance",
        "fr",
        "open",
        "dr.simon",
        "me.rousseau",
    ),
    (
        "CR/2026/0018",
        "appeal",
        "Hoger beroep tegen een beslissing van de Kamer van eerste aanleg",
        "nl",
        "pending_decision",
        "dr.jacobs",
        "me.hermans",
    ),
    ("CR/2026/0019", "appeal", "Appel en matière de prestations fictives", "fr", "open", "0412345614", "me.rousseau"),
]

DOCUMENT_TITLES = {
    "fr": [
        ("Rapport d'enquête", "report"),
        ("Relevé des prestations", "exhibit"),
        ("Courrier de convocation", "correspondence"),
    ],
    "nl": [
        ("Onderzoeksverslag", "report"),
        ("Overzicht van de verstrekkingen", "exhibit"),
        ("Oproepingsbrief", "correspondence"),
    ],
    "de": [
        ("Untersuchungsbericht", "report"),
        ("Leistungsübersicht", "exhibit"),
        ("Vorladungsschreiben", "correspondence"),
    ],
}


@transaction.atomic
def load():
    """Create what is missing; running it again changes nothing."""
    units = {}
    for code, kind, name_fr, name_nl, name_de, name_en in UNITS:
        units[code], _ = Unit.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_fr": name_fr,
                "name_nl": name_nl,
                "name_de": name_de,
                "name_en": name_en,
                "email": f"{code.lower()}@riziv-inami.example",
            },
        )
    for username, first, last, language, unit, role in STAFF:
        user = _user(username, first, last, language)
        StaffMembership.objects.get_or_create(user=user, unit=units[unit], defaults={"role": role})
    citizens = {username: _user(username, first, last, language) for username, first, last, language, _ in CITIZENS}
    inami = {username: number for username, _, _, _, number in CITIZENS}
    companies = {
        number: Company.objects.get_or_create(company_number=number, defaults={"name": name})[0]
        for number, name in COMPANIES
    }
    # The case-file services accept staff of the case file's unit only: the first staff member of each unit acts.
    clerks = {}
    for username, *_, unit_code, _role in STAFF:
        clerks.setdefault(unit_code, User.objects.get(username=username))
    for index, (reference, kind, subject, language, status, concerned, lawyer) in enumerate(CASE_FILES):
        if CaseFile.objects.filter(reference=reference).exists():
            continue
        unit = units[reference.split("/")[0]]
        clerk = clerks[unit.code]
        year = int(reference.split("/")[1])
        case_file = casefile_services.create_case_file(
            actor=clerk,
            unit=unit,
            reference=reference,
            kind=kind,
            subject=subject,
            language=language,
            opened_on=datetime.date(year, 1 + index % 10, 1 + index),
            status=status,
            closed_on=datetime.date(year, 12, 15) if status == "closed" else None,
        )
        if concerned in companies:
            company = companies[concerned]
            party = casefile_services.add_party(
                actor=clerk,
                case_file=case_file,
                role=Party.Role.CONCERNED_COMPANY,
                display_name=company.name,
                company=company,
            )
        else:
            user = citizens[concerned]
            party = casefile_services.add_party(
                actor=clerk,
                case_file=case_file,
                role=Party.Role.CONCERNED_PERSON,
                display_name=str(user),
                user=user,
                inami_number=inami[concerned],
            )
        if lawyer:
            casefile_services.add_party(
                actor=clerk,
                case_file=case_file,
                role=Party.Role.LAWYER,
                display_name=str(citizens[lawyer]),
                user=citizens[lawyer],
                represents=party,
            )
        if unit.kind == Unit.Kind.REGISTRY:
            casefile_services.add_party(
                actor=clerk,
                case_file=case_file,
                role=Party.Role.SERVICE_LAWYER,
                display_name=str(citizens["avocat.service"]),
                user=citizens["avocat.service"],
            )
        _documents(clerk, case_file, index)
    access.load()
    deposits.load()
    mailbox.load()
    pages.load()
    dashboards.load()


def _user(username, first, last, language):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "preferred_language": language,
            "email": f"{username}@demo.example",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.nrn_hash and username in NATIONAL_NUMBERS:
        user.nrn_hash = nrn.lookup_hash(NATIONAL_NUMBERS[username])
        user.nrn_encrypted = crypto.encrypt_nrn(NATIONAL_NUMBERS[username])
        user.email_confirmed_at = user.date_joined
        user.save(update_fields=["nrn_hash", "nrn_encrypted", "email_confirmed_at"])
    return user


def devidp_accounts():
    """The development identity provider's accounts: every demo person, with their claims and levels."""
    people = [(username, first, last, language, True) for username, first, last, language, *_ in STAFF]
    people += [(username, first, last, language, False) for username, first, last, language, *_ in CITIZENS]
    people += [(username, first, last, language, False) for username, first, last, language in NEWCOMERS]
    return [
        {
            "id": username,
            "label": f"{first} {last}",
            "kind": "staff" if staff else "citizen",
            "levels": (STAFF_LEVELS if staff else CITIZEN_LEVELS) + EXTRA_LEVELS.get(username, []),
            "claims": {
                "egovNRN": nrn.normalise(NATIONAL_NUMBERS[username]),
                "givenName": first,
                "surname": last,
                "mail": f"{username}@demo.example",
                "prefLanguage": language,
            },
        }
        for username, first, last, language, staff in people
    ]


def _documents(actor, case_file, index):
    titles = DOCUMENT_TITLES[case_file.language]
    for number, (title, kind) in enumerate(titles[: 2 + index % 2]):
        date = case_file.opened_on + datetime.timedelta(days=7 * (number + 1))
        if kind == "exhibit":
            content = make_xlsx(
                title,
                [
                    ("Date", "Code", "Montant / Bedrag"),
                    *[(f"2026-0{m}-1{m}", f"10{m}2{m}3", 25.5 * m) for m in range(1, 8)],
                ],
            )
            filename = f"{title}.xlsx"
        else:
            content = make_pdf(f"{title} - {case_file.reference}", [case_file.subject, f"{date:%d/%m/%Y}"])
            filename = f"{title}.pdf"
        casefile_services.add_document(
            actor=actor,
            case_file=case_file,
            title=title,
            kind=kind,
            document_date=date,
            content=io.BytesIO(content),
            filename=filename,
            visibility=Document.Visibility.STAFF_ONLY if number == 2 else Document.Visibility.ALL_PARTIES,
        )
