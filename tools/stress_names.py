"""A seeded stress set for the resolver: people written many ways, and different people written alike.

``generate(seed, people)`` gives ``(mentions, truth)``: resolver mentions and the
true person of each.  The people are romanised Chinese and Korean names under
the commonest surnames (Wang, Li, Zhang, Liu, Chen, Kim, Lee, Park), Russian
names in Cyrillic, Greek names in Greek script, Arabic names in Arabic script,
Hispanic double surnames, hyphenated names and numbered names (badge or
participant numbers).  Each person is mentioned in several of these shapes:
full name, "Last, First", credentials, initials (MEDLINE "Wang W"), accents
dropped, the same name in its native script and in Latin transliteration,
and a second romanisation of the forename.  Many distinct people share a
surname and first initial, and many share a full name (the name lists are
short on purpose: namesakes are the hard case).  Mentions carry an
institution most of the time (85%) and an e-mail now and then (30% of the
people give one, on 30% of their mentions).

What makes it a fair labelled set: a person's mentions are told apart from a
namesake's only by what real rows carry, never by the truth.  Every mention
comes with one to three of the person's co-authors or co-contacts (drawn
from four stable collaborators at their institution, written in their own
varying shapes), because a real row always names someone else: a paper has
its co-author list, a contact log row its other party.  (Until issue 11's
review only half the mentions had any, so 7% of the true pairs touched a
mention with no institution, e-mail or co-author under a shared full name:
pairs whose truth no input can tell, which no resolver can score.)  Russian
surnames agree with the forename's gender ("Ольга Петрова"), as they are
written.
"""

from __future__ import annotations

import random

from faker import Faker

from graph.resolution.resolver import Mention

__all__ = ["generate", "pairwise"]

_FAKE = Faker("en_US")

CN_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"]
CN_SYLLABLES = [
    "wei", "wen", "xin", "jing", "li", "hua", "ming", "yu", "xiao", "jun", "hong", "lei", "fang", "yan",
    "qing", "hao", "yi", "zhi", "jie", "tao", "ying", "lin", "bo", "chen", "yang", "rui", "han", "shu",
]  # fmt: skip
KR_SURNAMES = ["Kim", "Lee", "Park", "Choi", "Jung"]
KR_SYLLABLES = [
    "min", "jun", "seo", "yeon", "ji", "ho", "ha", "eun", "do", "yun", "woo", "su", "bin", "ye", "jin", "hyun",
    "hoon", "sung", "young", "hye", "dong", "jae", "won", "so", "kyung", "hee", "tae", "sang",
]  # fmt: skip
RU = [  # (Cyrillic given, Latin given, second romanisation)
    ("Александр", "Aleksandr", "Alexander"), ("Дмитрий", "Dmitrii", "Dmitriy"), ("Сергей", "Sergei", "Sergey"),
    ("Андрей", "Andrei", "Andrey"), ("Алексей", "Aleksei", "Alexey"), ("Мария", "Mariia", "Mariya"),
    ("Елена", "Elena", "Yelena"), ("Ольга", "Olga", "Olga"), ("Наталья", "Natalia", "Natalya"),
    ("Иван", "Ivan", "Ivan"), ("Михаил", "Mikhail", "Mikhail"), ("Татьяна", "Tatiana", "Tatyana"),
]  # fmt: skip
RU_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков"]
GR = ["Γιώργος", "Νίκος", "Δημήτρης", "Κώστας", "Μαρία", "Ελένη", "Αικατερίνη", "Γιάννης", "Σοφία"]
GR_SURNAMES = ["Παπαδόπουλος", "Παπαδάκης", "Νικολάου", "Γεωργίου", "Οικονόμου", "Βασιλείου", "Ιωάννου"]
AR = ["محمد", "أحمد", "علي", "عمر", "فاطمة", "خالد", "يوسف", "مريم", "حسن", "سارة"]
AR_SURNAMES = ["الرشيد", "حداد", "منصور", "خوري", "السيد", "عبدالله", "النجار", "الحسيني"]
ES_GIVEN = ["José", "María", "Jesús", "Andrés", "Sofía", "Lucía", "Martín", "Ramón", "Inés", "Raúl", "Elena"]
ES_SURNAMES = ["García", "López", "Martínez", "Rodríguez", "Fernández", "González", "Sánchez", "Pérez", "Gómez"]
WEST_GIVEN = [
    "Anna-Maria", "Jean-Pierre", "Mary-Kate", "Hans-Peter", "Chris", "Christie", "John", "James", "Joan",
    "Jane", "Michael", "Michelle", "Daniel", "Danielle", "Robert", "Roberta", "Paul", "Paula", "Laura",
]  # fmt: skip
WEST_SURNAMES = ["Smith", "Schmidt-Weber", "Müller", "O'Brien", "Johnson", "Lefèvre", "Nowak", "Jones-Hill"]
INSTITUTIONS = [f"inst-{i:03d}" for i in range(120)]
CREDENTIALS = ["MD", "PhD", "MD, PhD", "MPH", "RN"]


def _chinese_given(rng: random.Random) -> str:
    a, b = rng.choice(CN_SYLLABLES), rng.choice(CN_SYLLABLES)
    return a.capitalize() if rng.random() < 0.4 else (a + b).capitalize()


def _person(rng: random.Random, n: int) -> dict[str, object]:
    kind = rng.choices(["cn", "kr", "ru", "gr", "ar", "es", "west", "num"], weights=[30, 15, 6, 5, 5, 12, 20, 7], k=1)[
        0
    ]
    middle = rng.choice("ABCDEFGHJKLMNPRST") if rng.random() < 0.3 and kind in ("west", "es") else ""
    p: dict[str, object] = {"kind": kind, "middle": middle, "inst": rng.choice(INSTITUTIONS), "id": n}
    if kind == "cn":
        p.update(given=_chinese_given(rng), surname=rng.choice(CN_SURNAMES))
    elif kind == "kr":
        given = f"{rng.choice(KR_SYLLABLES).capitalize()}-{rng.choice(KR_SYLLABLES)}"
        p.update(given=given, surname=rng.choice(KR_SURNAMES))
    elif kind == "ru":
        cyr, lat, alt = rng.choice(RU)
        surname = rng.choice(RU_SURNAMES)
        p.update(given=lat, native=cyr, alt=alt, surname_native=surname + ("а" if cyr[-1] in "аяь" else ""))
    elif kind == "gr":
        p.update(native=rng.choice(GR), surname_native=rng.choice(GR_SURNAMES))
    elif kind == "ar":
        p.update(native=rng.choice(AR), surname_native=rng.choice(AR_SURNAMES))
    elif kind == "es":
        s1, s2 = rng.sample(ES_SURNAMES, 2)
        p.update(given=rng.choice(ES_GIVEN), surname=f"{s1}-{s2}")
    elif kind == "west":
        given = rng.choice(WEST_GIVEN) if rng.random() < 0.2 else _FAKE.first_name()
        surname = rng.choice(WEST_SURNAMES) if rng.random() < 0.2 else _FAKE.last_name()
        p.update(given=given, surname=surname)
    else:
        p.update(given=rng.choice(["Participant", "Badge", "Nurse", "Author"]), surname=f"{n:05d}")
    if rng.random() < 0.3:
        p["email"] = f"person{n}@{p['inst']}.example"
    return p


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _written(rng: random.Random, p: dict[str, object]) -> str:
    kind = p["kind"]
    if kind in ("gr", "ar"):
        given, last = str(p["native"]), str(p["surname_native"])
        return rng.choice([f"{given} {last}", f"{last}, {given}"])
    if kind == "ru":
        given = str(p["native"]) if rng.random() < 0.4 else str(rng.choice([p["given"], p["alt"]]))
        from anyascii import anyascii

        last = str(p["surname_native"]) if given == p["native"] else anyascii(str(p["surname_native"]))
        return rng.choice([f"{given} {last}", f"{last}, {given}"])
    if kind == "num":
        return rng.choice([f"{p['given']} {p['surname']}", f"{p['given']} {p['surname']}, RN"])
    given, last, middle = str(p["given"]), str(p["surname"]), str(p["middle"])
    shape = rng.random()
    full = f"{given} {middle + '. ' if middle else ''}{last}"
    if kind == "cn" and shape < 0.15:
        return f"{last} {given[0]}"  # MEDLINE initials
    if kind == "kr" and shape < 0.2:
        return rng.choice([f"{given.replace('-', '')} {last}", f"{last}, {given}"])
    if shape < 0.3:
        return f"{last}, {given}"
    if shape < 0.4:
        return f"{full}, {rng.choice(CREDENTIALS)}"
    if shape < 0.5:
        return _strip_accents(full)
    if shape < 0.57 and kind in ("west", "es"):
        return f"{last} {given[0]}{middle}"
    return full


def generate(seed: int = 11, people: int = 12_000) -> tuple[list[Mention], list[int]]:
    """``(mentions, truth)``: about 4.3 mentions per person, truth[i] the person of mentions[i]."""
    rng = random.Random(seed)
    _FAKE.seed_instance(seed)
    folks = [_person(rng, n) for n in range(people)]
    by_inst: dict[str, list[int]] = {}
    for p in folks:
        by_inst.setdefault(str(p["inst"]), []).append(int(p["id"]))  # type: ignore[call-overload]
    coauthors: dict[int, list[int]] = {}
    for p in folks:
        pool = [c for c in by_inst[str(p["inst"])] if c != p["id"]]
        coauthors[int(p["id"])] = rng.sample(pool, min(4, len(pool)))  # type: ignore[call-overload]
    mentions: list[Mention] = []
    truth: list[int] = []
    for p in folks:
        pid = int(p["id"])  # type: ignore[call-overload]
        for _ in range(rng.choice([2, 3, 4, 5, 6, 6])):
            team = coauthors[pid]
            ctx = tuple(_written(rng, folks[c]) for c in rng.sample(team, min(len(team), rng.randint(1, 3))))
            mentions.append(
                Mention(
                    _written(rng, p),
                    email=str(p["email"]) if "email" in p and rng.random() < 0.3 else None,
                    institution_id=str(p["inst"]) if rng.random() < 0.85 else None,
                    context=ctx,
                )
            )
            truth.append(pid)
    return mentions, truth


def pairwise(predicted: list[str], truth: list[object]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the truth (pairs of mentions)."""
    from collections import Counter

    def pairs(counts: Counter) -> int:  # type: ignore[type-arg]
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(predicted, truth, strict=True)))
    pred, true = pairs(Counter(predicted)), pairs(Counter(truth))
    return (both / pred if pred else 1.0), (both / true if true else 1.0)
