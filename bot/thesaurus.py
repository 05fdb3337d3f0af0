"""Everyday English words for the words news reports use, for a drafted knowledge base's synonyms.

Generic language data, like the stopword list: nothing here is about any article. ``draft`` keeps
a group only where the article uses exactly one of its words, which becomes the key, and only the
variants the article never uses (a variant the article uses means something of its own there).
Each group is one word form: singular and plural, present and past are separate groups.

A word with more than one sense ("fight" a commission / a fight at the gates, "met" a deadline / met
the mayor) proposes its variants only where the article uses it in the group's sense: ``SENSES``
holds, per such group, a pattern the article's text must match, else the group is left out. A group
whose variants would be wrong in some article's sense and that no pattern can tell apart is not here.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    # work and pay
    ("pay", "salary", "wages", "earnings", "money"),
    ("wage", "salary", "pay"),
    ("raise", "pay rise", "increase", "rise", "hike", "bump", "pay bump", "pay increase"),
    ("increase", "raise", "rise", "hike", "bump"),
    ("offer", "proposal", "bid", "pitch"),
    ("proposal", "offer", "plan", "pitch"),
    ("strike", "walkout", "stoppage", "industrial action", "shutdown"),
    ("stoppage", "strike", "walkout", "shutdown"),
    ("workers", "staff", "employees", "workforce", "labourers", "laborers"),
    ("dockworkers", "dockers", "dock workers", "longshoremen", "stevedores", "port workers", "workforce"),
    ("jobs", "employment", "work", "positions", "livelihoods"),
    ("union", "labour union", "labor union", "trade union", "labour side", "labor side"),
    ("contract", "agreement", "collective agreement"),
    ("automation", "robots", "mechanisation", "mechanization", "machines", "automating", "automate"),
    ("cranes", "machinery", "machines", "robots"),
    ("picketers", "strikers", "protesters", "protestors", "demonstrators", "picket"),
    # people and roles
    ("chief executive", "ceo", "boss", "chief exec", "top executive", "head honcho"),
    ("mediator", "conciliator", "go-between", "arbitrator", "arbiter", "broker", "facilitator"),
    ("economist", "academic", "expert", "analyst"),
    ("mayor", "city leader", "city boss"),
    ("minister", "secretary", "cabinet member"),
    ("president", "leader", "head", "chief", "boss"),
    ("official", "officer", "spokesman", "spokesperson", "representative"),
    ("officials", "officers", "representatives"),
    ("negotiators", "bargainers", "representatives", "reps"),
    ("police", "cops", "officers", "law enforcement"),
    ("parliament", "lawmakers", "legislators", "legislature", "mps", "congress"),
    ("government", "govt", "gov", "state", "administration", "authorities"),
    ("judge", "justice", "magistrate"),
    ("reporters", "journalists", "press", "media"),
    ("customers", "clients", "buyers"),
    ("exporters", "export firms", "export businesses", "export sectors", "shippers"),
    ("families", "households", "residents", "locals"),
    ("people", "folks", "persons"),
    ("people", "residents", "inhabitants", "population"),
    ("city", "town"),
    # ships and cargo
    ("ships", "vessels", "boats", "freighters"),
    ("vessels", "ships", "boats", "freighters"),
    ("carriers", "shipping lines", "shipping companies", "lines"),
    ("cargo", "freight", "goods", "shipments"),
    ("containers", "boxes", "box", "freight"),
    ("trucks", "lorries", "lorry", "truck"),
    ("convoy", "column", "line of trucks"),
    ("port", "harbour", "harbor", "seaport", "docks"),
    ("quays", "waterfront", "docks", "wharves", "wharf"),
    ("anchor", "anchored", "offshore"),
    ("terminal", "facility", "depot"),
    # conflict and incidents
    ("clash", "scuffle", "brawl", "fight", "fighting", "confrontation", "altercation", "melee", "fracas"),
    ("scuffle", "clash", "brawl", "fight", "confrontation", "altercation", "melee", "scrap"),
    ("arrested", "detained", "nabbed", "taken into custody", "held"),
    ("injuries", "wounds", "hurt", "harm"),
    ("injured", "hurt", "wounded"),
    ("killed", "died", "dead", "slain"),
    ("killing", "death", "deaths"),
    ("soldiers", "troops", "servicemen"),
    ("rockets", "missiles", "projectiles"),
    ("airstrikes", "air strikes", "air raids", "bombing", "bombings"),
    ("ceasefire", "truce", "cease-fire", "cease fire"),
    ("hostages", "captives", "abductees"),
    ("talks", "negotiations", "discussions"),
    ("negotiations", "talks", "discussions"),
    ("deal", "agreement", "accord", "settlement"),
    ("agreement", "deal", "accord"),
    ("settlement", "deal", "agreement", "resolution"),
    ("delegation", "negotiating team", "delegates", "envoys"),
    ("impasse", "stalemate", "deadlock", "standstill", "logjam"),
    ("demands", "conditions", "terms"),
    ("guarantees", "assurances", "promises"),
    # economy
    ("economy", "economic", "gdp"),
    ("costing", "cost"),
    ("inflation", "cost of living", "prices"),
    ("percent", "per cent", "%", "pct"),
    ("crowns", "krona", "kroner"),
    ("exaggerated", "overblown", "inflated", "overstated"),
    ("competitive", "competitiveness"),
    ("rivals", "competitors", "competition"),
    # verbs
    ("said", "stated", "claimed"),
    ("estimated", "reckoned", "calculated", "figured", "put"),
    ("urged", "called on", "asked", "pressed"),
    ("denied", "rejected", "refuted", "dismissed"),
    ("accused", "blamed"),
    ("diverting", "rerouting", "redirecting", "sending"),
    ("stranded", "stuck", "idle", "sitting", "piled up"),
    ("waiting", "stuck", "queued", "queuing", "backed up", "idle"),
    ("walked off", "went on strike", "downed tools", "put down tools", "stopped work"),
    ("expired", "ran out", "ended", "lapsed"),
    ("began", "started", "kicked off"),
    ("begin", "start"),
    ("met", "talked to", "spoke with", "sat down with", "held talks with"),
    ("departed", "left", "quit", "exited"),
    ("provoking", "starting", "instigating", "sparking", "causing"),
    ("blocked", "obstructed", "barricaded"),
    ("hit", "affected", "battered", "hurt"),
    ("preparing", "drafting", "working on", "cooking up"),
    ("revised", "new", "updated", "amended"),
    ("vote", "ballot"),
    ("tentative", "provisional", "preliminary"),
)

# A group (by its position's words) -> a pattern the article must match for the group's sense.
_PHYSICAL = r"\b(?:arrest\w*|injur\w*|hurt|police|punch\w*|scuffle\w*|violence|violent|wounded)\b"
SENSES: dict[tuple[str, ...], str] = {
    # a population, not a crowd: "a city of 210,000 people", "people who live there"
    (
        "people",
        "residents",
        "inhabitants",
        "population",
    ): r"\b(?:city|town|village|country|region|home) of (?:about |roughly |some |nearly |around )?[\d,.]+ "
    r"(?:million )?people\b|\bpeople (?:who )?live\b",
    # a fight with fists, not "fight the commission": only where someone was hurt or arrested
    ("clash", "scuffle", "brawl", "fight", "fighting", "confrontation", "altercation", "melee", "fracas"): _PHYSICAL,
    ("scuffle", "clash", "brawl", "fight", "confrontation", "altercation", "melee", "scrap"): _PHYSICAL,
    # the police as a force, not "to police the border"
    ("police", "cops", "officers", "law enforcement"): r"(?i)\b(?:the |riot |local |city )?police (?:said|say|says|"
    r"arrested|detained|officers?|were|was|have|had|fired|used|confirmed)\b",
    # people met, not "the date can still be met"
    ("met", "talked to", "spoke with", "sat down with", "held talks with"): r"\bmet (?:with |separately with )?"
    r"(?:the |both |[A-Z])",
    ("hit", "affected", "battered", "hurt"): r"\b(?:was|were|been|be|is|are) (?:hard |badly )?hit\b",
    # an estimate, not "put on hold"
    ("estimated", "reckoned", "calculated", "figured", "put"): r"\bestimat",
    # the leader of a body, not "head of obstetrics" read as "president"
    ("president", "leader", "head", "chief", "boss"): r"\b(?:president|leader)\b",
}
