"""Generate a deterministic synthetic insightmap project of N insights for benchmarks.

The distributions follow the pilots' report: most insights concern current clients
(mostly adults) and the general public (spread), the fewest the risk group (mainly
children and youth); some cells are planned white spots. Text is Swedish-looking,
built from sentence fragments of realistic length (title ~12 words, body ~120 words).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from insightmap.load.organisations import municipalities

PERSPECTIVES = [
    (("active-client",), 36),
    (("general-public",), 30),
    (("risk-group",), 14),
    (("active-client", "risk-group"), 8),
    (("active-client", "general-public"), 5),
    (("risk-group", "general-public"), 5),
    (("active-client", "risk-group", "general-public"), 2),
]
SUBPOPULATIONS = {
    "active-client": [
        "adults",
        "adults",
        "adults",
        "families",
        "addiction",
        "mental-ill-health",
        "homeless",
        "violence-exposed",
        "children-youth",
        "people-with-disabilities",
    ],
    "risk-group": [
        "children-youth",
        "children-youth",
        "children-youth",
        "young-adults",
        "families",
        "parents-expecting",
    ],
    "general-public": [
        "adults",
        "older-people",
        "families",
        "children-youth",
        "relatives-carers",
        "young-adults",
        "newly-arrived",
        "parents-expecting",
    ],
}
SHIFTS = [
    "acute-to-preventive",
    "organisation-to-individual",
    "silos-to-collaboration",
    "closed-to-accessible",
    "distrust-to-trust",
    "passive-to-co-creation",
    "investigation-to-open-services",
    "adult-to-child-perspective",
    "analogue-to-digital",
]
THEMES = [
    "accessibility-trust",
    "collaboration",
    "resident-influence",
    "open-services",
    "culture-change",
    "budget-governance",
    "law",
    "composting",
]
AREAS = [
    "homelessness",
    "financial-assistance",
    "addiction",
    "social-psychiatry",
    "domestic-violence",
    "child-youth-care",
    "disability",
    "elderly-care",
]
METHODS = [
    "interviews",
    "workshop",
    "survey",
    "focus-group",
    "dialogue",
    "ethnography",
    "user-journey",
    "co-creation",
]
SUBJECTS = [
    "Invånare",
    "Unga",
    "Föräldrar",
    "Äldre",
    "Familjer",
    "Anhöriga",
    "Personer i hemlöshet",
    "Nyanlända",
    "Vuxna med beroende",
    "Deltagarna",
]
VERBS = [
    "vill kunna",
    "behöver",
    "saknar möjlighet att",
    "upplever svårigheter att",
    "önskar",
    "vågar inte",
    "vet inte hur man ska",
    "uppskattar att",
]
OBJECTS = [
    "ringa socialtjänsten utanför kontorstid",
    "träffa samma handläggare över tid",
    "få hjälp utan att först bli utredda",
    "mötas där de redan är",
    "förstå vilka regler som gäller",
    "hitta rätt dörr in",
    "bli lyssnade på innan beslut fattas",
    "delta i öppna verksamheter",
    "få information på sitt eget språk",
    "använda chatt och digitala kanaler",
    "känna tillit till myndigheten",
    "få stöd tidigt innan problemen växer",
]
FILLER = [
    "Det framkom i intervjuerna att tillgängligheten är avgörande för att våga ta kontakt.",
    "Flera beskrev rädsla för att socialtjänsten ska ta över och fatta beslut över deras huvud.",
    "Insikten bekräftar tidigare kunskap men visar också nya behov som inte fångats i statistiken.",
    "Verksamheten behöver pröva nya arbetssätt tillsammans med civilsamhället och regionen.",
    "Deltagarna betonade vikten av bemötande, kontinuitet och att bli sedda som hela människor.",
    "Resultatet pekar på att förebyggande insatser når fler när trösklarna sänks.",
    "Många kände inte till vilket stöd som finns förrän de själva var i kris.",
    "Öppettider, språk och fysisk plats påverkar vem som faktiskt får hjälp.",
    "Medarbetarna lyfte att administrationen tar tid från det sociala arbetet.",
    "Samverkan med skola och förskola gjorde att familjerna upplevde stödet som naturligt.",
]


def generate(root: Path, n: int, organisations: int = 60, seed: int = 1) -> Path:
    """Write a project with n insights (and n/50 studies) under root; return root."""
    rng = random.Random(seed)
    orgs = [m.slug for m in municipalities()][:organisations]
    (root / "insights").mkdir(parents=True, exist_ok=True)
    (root / "maps").mkdir(exist_ok=True)
    (root / "insightmap.yml").write_text("language: sv\norganisations: {}\n", encoding="utf-8")
    weights = [w for _, w in PERSPECTIVES]
    for index in range(n):
        org = orgs[index % len(orgs)]
        perspective = rng.choices([p for p, _ in PERSPECTIVES], weights)[0]
        subpops = sorted({rng.choice(SUBPOPULATIONS[p]) for p in perspective})
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
        body = " ".join(rng.choice(FILLER) for _ in range(rng.randint(6, 12)))
        year = rng.randint(2019, 2026)
        front = [
            f"title: {title}",
            f"perspective: [{', '.join(perspective)}]",
            f"subpopulation: [{', '.join(subpops)}]",
            f"organisation: {org}",
            f'date: "{year}-{rng.randint(1, 12):02d}"',
            f"shift: [{', '.join(rng.sample(SHIFTS, rng.randint(1, 3)))}]",
            f"theme: [{', '.join(rng.sample(THEMES, rng.randint(1, 2)))}]",
            f"area: [{rng.choice(AREAS)}]",
            f"method: [{', '.join(rng.sample(METHODS, rng.randint(1, 2)))}]",
            f"visibility: {'public' if rng.random() < 0.3 else 'internal'}",
            "quotes:",
            f"  - {rng.choice(OBJECTS).capitalize()}, det är vad jag behöver.",
        ]
        folder = root / "insights" / org
        folder.mkdir(exist_ok=True)
        text = "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"
        (folder / f"insikt-{index:06d}.md").write_text(text, encoding="utf-8")
    for index in range(max(1, n // 50)):
        org = orgs[index % len(orgs)]
        status = rng.choice(["planned", "ongoing", "completed"])
        text = (
            "---\nkind: study\n"
            f"title: Insiktsarbete {index} om {rng.choice(OBJECTS)}\n"
            f"status: {status}\norganisation: {org}\n"
            f'date: "{rng.randint(2022, 2026)}-{rng.randint(1, 12):02d}"\n'
            f"perspective: [{rng.choice(['risk-group', 'general-public', 'active-client'])}]\n"
            f"subpopulation: [{rng.choice(SUBPOPULATIONS['general-public'])}]\n"
            f"method: [{rng.choice(METHODS)}]\ncontact: Verksamhetsutvecklare\n---\n\n"
            + " ".join(rng.choice(FILLER) for _ in range(4))
            + "\n"
        )
        folder = root / "insights" / org / "studier"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"studie-{index:05d}.md").write_text(text, encoding="utf-8")
    (root / "maps" / "barn-och-unga.yml").write_text(
        "title: Barn och unga\ndescription: Syntetisk karta.\n"
        "filter:\n  subpopulation: [children-youth]\n"
        "colour-by: organisation-type\n",
        encoding="utf-8",
    )
    return root


def main() -> None:
    """Generate a corpus from the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--organisations", type=int, default=60)
    args = parser.parse_args()
    generate(args.target, args.n, args.organisations)


if __name__ == "__main__":
    main()
