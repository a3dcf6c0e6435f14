"""Target mentions on real text: the seed articles and sentences quoted from the public datasets.

Sentences marked NewsMTSC are quoted from ``newsmtsc/train.jsonl`` (Hamborg & Donnay 2021, MIT);
those marked NarrFr from ``narrative_frames/articles_metadata.tsv`` (Frermann et al. 2023, MIT).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framelens.codebook import load_codebook, parse_codebook
from framelens.errors import InputError
from framelens.tables import MENTIONS
from framelens.text.mentions import MENTION_COLUMNS, compile_matcher, find_mentions, mention_spans


def found(text: str, codebook=None) -> list[tuple[str, str]]:
    """(matched text, target) of each mention in ``text``."""
    return [(m.matched, m.target) for m in mention_spans(text, codebook)]


def one(text: str, matched: str):
    """The single mention of ``text`` whose surface is ``matched``."""
    hits = [m for m in mention_spans(text) if m.matched == matched]
    assert len(hits) == 1, (matched, mention_spans(text))
    return hits[0]


@pytest.fixture(scope="module")
def raw(seed_corpus_dir) -> dict[str, str]:
    """The raw seed files by article id (``000`` ... ``004``)."""
    return {
        p.name[:3]: p.read_text(encoding="utf-8")
        for p in sorted((seed_corpus_dir / "raw").glob("*.txt"))
    }


def sentences_from(raw: dict[str, str], picks: list[tuple[str, str]]) -> pd.DataFrame:
    """A sentences table of exact seed sentences, with their offsets in the raw article text."""
    rows = []
    for sent_id, (article_id, text) in enumerate(picks):
        start = raw[article_id].index(text)
        rows.append(
            {
                "article_id": article_id,
                "sent_id": sent_id,
                "para_id": 0,
                "start": start,
                "end": start + len(text),
                "text": text,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# "US" the state versus "us" the pronoun


def test_us_abbreviations_are_the_state_and_the_pronoun_is_not(raw):
    ally = "Pakistan was a US ally and Bharat a Soviet client state."
    assert ally in raw["000"]
    assert found(ally) == [("US", "us"), ("Bharat", "india"), ("Soviet", "russia")]
    aid = "For Russia, it’s a golden opportunity to gain leverage in a country long tied to U.S. foreign aid."
    assert aid in raw["001"]
    assert found(aid) == [("Russia", "russia"), ("U.S.", "us")]
    comment = (
        "It is only then that China and Russia as well as others will come forward to move with "
        "us hands in hands."
    )
    assert comment in raw["004"]
    assert found(comment) == [("China", "china"), ("Russia", "russia")]
    assert "Follow us" in raw["002"] and found("Follow us") == []
    assert found("Let us ask them.") == []  # NarrFr
    # A mixed-case line after an all-capitals one is read on its own (NewsMTSC).
    newsletter = (
        "SIGN UP FOR OUR NEWSLETTER\n“What about positions or intentions expressed by the new US "
        "administration?” he asked."
    )
    assert one(newsletter, "US administration").role == "administration"


def test_all_capitals_us_counts_unless_it_follows_a_pronoun_cue(raw):
    title = "Pakistan DITCHES West for Putin’s Help!"
    assert title in raw["001"]
    assert found(title.upper()) == [("PUTIN", "russia")]
    assert found("PAKISTAN DITCHES US") == [("US", "us")]
    sanctions = "This has been on the standstill due to the tough US sanctions against the Russian state company Rostekh."
    assert sanctions in raw["002"]
    assert found(sanctions.upper()) == [("US", "us"), ("RUSSIAN", "russia")]
    comment = (
        "It is only then that China and Russia as well as others will come forward to move with "
        "us hands in hands."
    )
    assert found(comment.upper()) == [("CHINA", "china"), ("RUSSIA", "russia")]  # WITH US
    assert found("LET US ASK THEM.") == []
    assert found("Follow US on Twitter") == []  # web boilerplate in mixed case


# --------------------------------------------------------------------------------------------
# Exclusions: the Americas, Washington the state and newspaper, the Indian Ocean


def test_america_versus_the_americas_and_american_indians(raw):
    influence = (
        "While Washington focuses on domestic politics, Russia and Pakistan are forging economic "
        "ties that could reshape South Asia—and undercut decades of American influence in the region."
    )
    assert influence in raw["001"]
    assert found(influence) == [("Washington", "us"), ("Russia", "russia"), ("American", "us")]
    # NewsMTSC and NarrFr
    assert (
        found(
            "He has made his concern for the poor – and hailing from Latin America, Jo knows po’ – his "
            "keystone and, predictably, paid the price of being misconstrued."
        )
        == []
    )
    assert found(
        "But the major hotspots are reported to be in South America, where forests are being "
        "felled; sub-Saharan Africa; India and China."
    ) == [("India", "india"), ("China", "china")]
    assert (
        found(
            "Covington Bishop Roger Foys initially condemned the students' behavior after a video "
            "showed one teenager face-to-face with a Native American man."
        )
        == []
    )
    assert (
        found(
            "(AP) — A federal judge ruled Wednesday that the Dakota Access oil pipeline can continue "
            "operating while a study is completed to assess its environmental impact on an American "
            "Indian tribe."
        )
        == []
    )


def test_washington_the_capital_versus_the_newspaper_the_state_and_the_person():
    # NewsMTSC and NarrFr
    assert found("Roy Moore is denying the allegations in The Washington Post.") == []
    assert (
        found(
            "The bill — which called for a $15 fee on each metric ton of carbon emissions — was put to "
            "the test in Washington state during the 2018 midterm elections."
        )
        == []
    )
    assert (
        found(
            "I also reached out to Sarah Binder, a professor of political science at George Washington University."
        )
        == []
    )
    # A dateline says where the story was filed, not who acted.
    assert (
        found(
            "WASHINGTON -- Mitt Romney insisted on Friday that he has paid taxes every year and repeated "
            'that Senate Majority Leader Harry Reid (D-Nev.) needs "to put up or shut up" with his '
            "accusations that he hasn't."
        )
        == []
    )


def test_indian_ocean_is_not_india():
    assert (
        found("Tropical cyclones in this part of the Indian Ocean are not that rare.") == []
    )  # NarrFr
    assert found("She's also the first Indian American to serve as the state's governor.") == []


# --------------------------------------------------------------------------------------------
# Names: a country inside a project or organisation name is flagged, a bilateral mention is not


def test_country_inside_a_pipeline_or_corridor_name_is_in_name(raw):
    tapi = (
        "Moscow also supports the Turkmenistan-Afghanistan-Pakistan-India (TAPI) gas pipeline "
        "project to transport natural gas from Central Asian states to Pakistan and India."
    )
    assert tapi in raw["000"]
    assert [(m.matched, m.in_name) for m in mention_spans(tapi)] == [
        ("Moscow", False),
        ("India", True),
        ("India", False),
    ]
    cpec = (
        "Pakistan is ambitiously working with China the China Pakistan Economic Corridor and "
        "pursuing other joint ventures."
    )
    assert cpec in raw["004"]
    assert [(m.matched, m.in_name) for m in mention_spans(cpec)] == [
        ("China", False),
        ("China", True),
    ]
    # NewsMTSC: a names phrase of the codebook.
    stadium = "Obama was slated to speak at the Bank of America Stadium, which seats nearly 75,000 people."
    assert [(m.matched, m.in_name) for m in mention_spans(stadium)] == [
        ("Obama", False),
        ("America", True),
    ]


def test_bilateral_mentions_and_the_federation_itself_are_not_in_name(raw):
    summit = "finalizing the details on the approaching annual India-Russia Summit."
    assert summit in raw["002"]
    assert [(m.target, m.in_name) for m in mention_spans(summit)] == [
        ("india", False),
        ("russia", False),
    ]
    relations = "Pakistan must try to restore its relations with the US by enhancing trade and educational corridors."
    assert relations in raw["004"] and not one(relations, "US").in_name
    assert not one("not at the cost of Pakistan-US relations.", "US").in_name
    lavrov = "Foreign Minister of the Russian Federation Mr. Sergey Lavrov was in Islamabad for a two-day official visit."
    assert lavrov in raw["002"]
    federation, person = mention_spans(lavrov)
    assert (federation.alias, federation.role, federation.group, federation.in_name) == (
        "Russian Federation",
        "Foreign Minister",
        "leader",
        False,
    )
    assert (person.matched, person.target, person.group) == ("Sergey Lavrov", "russia", "leader")


def test_headline_title_case_is_not_read_as_a_name(raw):
    heading = "Soviet-Era Project, 21st-Century Realignment"
    assert heading in raw["001"]
    assert not one(heading, "Soviet").in_name
    assert one("Russian Railways will build the line.", "Russian").in_name


# --------------------------------------------------------------------------------------------
# Metonyms, people, roles, demonyms; the longest match wins


def test_metonyms_map_to_their_state(raw):
    kremlin = "The Kremlin has also partnered with Islamabad on the Pakistan Stream gas pipeline"
    assert kremlin in raw["001"]
    assert (one(kremlin, "Kremlin").target, one(kremlin, "Kremlin").group) == (
        "russia",
        "institution",
    )
    delhi = "paid a 19-hour-only visit to New Delhi for meetings with high officials"
    assert delhi in raw["002"]
    assert found(delhi) == [("New Delhi", "india")]  # not also "Delhi"
    vacuum = "As both Moscow and Beijing seek to fill the power vacuum left by the United States"
    assert vacuum in raw["003"]
    assert found(vacuum) == [("Moscow", "russia"), ("Beijing", "china"), ("United States", "us")]
    assert [m.group for m in mention_spans(vacuum)] == ["capital", "capital", "state"]
    assert "Bharat" in raw["000"] and found("As the Russian relations with Bharat fray")[1] == (
        "Bharat",
        "india",
    )


def test_people_and_roles_join_into_one_mention(raw):
    critics = "Critics argue the Biden administration is failing to counter this shift"
    assert critics in raw["001"]
    (biden,) = mention_spans(critics)
    assert (biden.matched, biden.alias, biden.group, biden.role) == (
        "Biden administration",
        "Biden",
        "institution",
        "administration",
    )
    visit = "Russia’s Prime Minister is set to visit Pakistan for the SCO Council of Heads of Government meeting"
    assert visit in raw["003"]
    assert (
        one(visit, "Russia’s Prime Minister").group,
        one(visit, "Russia’s Prime Minister").role,
    ) == ("leader", "Prime Minister")
    deputy = "when Russian Deputy Prime Minister Alexei Overchuk visited Islamabad"
    assert deputy in raw["003"] and one(deputy, "Russian Deputy Prime Minister").target == "russia"
    # NewsMTSC
    spokesman = "A Kremlin spokesman confirmed that the letter was delivered and was making its way to Putin."
    assert [(m.matched, m.group) for m in mention_spans(spokesman)] == [
        ("Kremlin spokesman", "leader"),
        ("Putin", "leader"),
    ]
    pence = (
        "Vice President Mike Pence and Chinese President Xi Jinping presented conflicting visions for "
        "trade and security in the Asia-Pacific, as the U.S. and China vie for global influence."
    )
    assert found(pence) == [
        ("Chinese President", "china"),
        ("Xi Jinping", "china"),
        ("U.S.", "us"),
        ("China", "china"),
    ]
    modi = "Vadra began the campaign with a sharp attack on what she called the Modi government’s inability to generate jobs in the country."
    assert (one(modi, "Modi government").target, one(modi, "Modi government").group) == (
        "india",
        "institution",
    )


def test_case_rules_and_prefix_forms():
    assert found("CHAPTER XI of the report") == []  # Xi is matched only as written
    assert found("President Xi arrived.") == [("Xi", "china")]
    assert found("He met the President of the United States.") == [
        ("President of the United States", "us")
    ]
    assert found("Sino-Indian ties and the Indo-Pacific strategy") == [
        ("Sino", "china"),
        ("Indian", "india"),
    ]
    assert found("fine china and porcelain") == []
    assert found("The deal is worth US$ 2 billion, paid in U.S. dollars.") == []


def test_demonyms(raw):
    veto = "Iran was turned down, and Bharat cannot join becuase of the Chinese veto."
    assert veto in raw["000"]
    assert [(m.matched, m.target, m.group) for m in mention_spans(veto)] == [
        ("Bharat", "india", "state"),
        ("Chinese", "china", "demonym"),
    ]
    soviet = "reviving a defunct Soviet-era steel mill in Karachi"
    assert soviet in raw["001"]
    assert [(m.matched, m.group, m.in_name) for m in mention_spans(soviet)] == [
        ("Soviet", "demonym", False)
    ]


# --------------------------------------------------------------------------------------------
# The mentions table


def test_find_mentions_gives_article_offsets_and_no_row_for_sentences_without_mentions(raw):
    sentences = sentences_from(
        raw,
        [
            ("002", "Farhat Asif"),
            (
                "002",
                "Foreign Minister of the Russian Federation Mr. Sergey Lavrov was in Islamabad for a two-day official visit.",
            ),
            ("000", "Pakistan was a US ally and Bharat a Soviet client state."),
            ("002", "Follow us"),
        ],
    )
    table = find_mentions(sentences)
    assert list(table.columns) == MENTION_COLUMNS and MENTION_COLUMNS[: len(MENTIONS)] == MENTIONS
    assert table["start"].dtype == "int64" and table["in_name"].dtype == bool
    assert set(table["sent_id"]) == {1, 2}  # the byline and "Follow us" give no row
    for row in table.itertuples():
        assert raw[row.article_id][row.start : row.end] == row.matched
    assert table["target"].tolist() == ["russia", "russia", "us", "india", "russia"]
    assert table["alias"].tolist() == [
        "Russian Federation",
        "Sergey Lavrov",
        "US",
        "Bharat",
        "Soviet",
    ]


def test_find_mentions_on_an_empty_table_and_bad_input():
    empty = pd.DataFrame(
        {
            c: pd.Series(dtype="object")
            for c in ["article_id", "sent_id", "para_id", "start", "end", "text"]
        }
    )
    table = find_mentions(empty)
    assert table.empty and list(table.columns) == MENTION_COLUMNS
    with pytest.raises(InputError, match="lacks column"):
        find_mentions(empty.drop(columns="start"))
    broken = pd.DataFrame(
        {
            "article_id": ["a"],
            "sent_id": [0],
            "para_id": [0],
            "start": [None],
            "end": [3],
            "text": ["Russia"],
        }
    )
    with pytest.raises(InputError, match="article a, sentence 0"):
        find_mentions(broken)
    with pytest.raises(InputError):
        mention_spans(None)


def test_seed_corpus_mentions(seed_tables):
    articles = seed_tables.articles.set_index("article_id")["text"]
    sentences = seed_tables.sentences
    table = find_mentions(sentences)
    for row in table.itertuples():
        assert articles[row.article_id][row.start : row.end] == row.matched
    # Every mention lies inside its sentence.
    bounds = sentences[["article_id", "sent_id", "start", "end"]]
    joined = table.merge(bounds, on=["article_id", "sent_id"], suffixes=("", "_sent"))
    assert len(joined) == len(table)
    assert ((joined["start"] >= joined["start_sent"]) & (joined["end"] <= joined["end_sent"])).all()
    # Russia is the topic of every seed article.
    per_article = table.groupby(["article_id", "target"]).size().unstack(fill_value=0)
    assert (per_article["russia"] > per_article.drop(columns="russia").max(axis=1)).all()
    # 000: the TAPI pipeline's India is in a name; Bharat is India.
    tapi = table[(table["article_id"] == "000") & table["matched"].eq("India")]
    assert tapi["in_name"].tolist() == [True, False]
    assert set(table.loc[table["alias"] == "Bharat", "target"]) == {"india"}
    assert len(table[(table["article_id"] == "000") & (table["alias"] == "Bharat")]) == 3
    # 002: "Mr. Sergey Lavrov" is Russia; "Follow us" (if it survived cleaning) is no mention.
    lavrov = table[(table["article_id"] == "002") & table["matched"].str.contains("Lavrov")]
    assert len(lavrov) >= 1 and set(lavrov["target"]) == {"russia"}
    assert not table["matched"].str.fullmatch("us").any()
    # 001: the Biden administration and the Kremlin as actors.
    a001 = table[table["article_id"] == "001"]
    assert {"Biden administration", "Kremlin"} <= set(a001["matched"])


# --------------------------------------------------------------------------------------------
# The codebook drives everything


def test_a_researchers_codebook_defines_the_targets():
    codebook = parse_codebook(
        """
[targets.pakistan]
label = "Pakistan"
exclusions = ["Pakistan Peoples Party"]
case = "ignore"
[targets.pakistan.aliases]
state = ["Pakistan"]
capital = ["Islamabad", "Rawalpindi"]
[frames.security]
definition = "Armed force."
seed_terms = ["army"]
"""
    )
    text = "ISLAMABAD and Pakistan's army; the pakistan peoples party and Russia."
    assert [(m.matched, m.target, m.group) for m in mention_spans(text, codebook)] == [
        ("ISLAMABAD", "pakistan", "capital"),
        ("Pakistan's army", "pakistan", "institution"),
    ]
    assert compile_matcher(codebook) is compile_matcher(codebook)  # compiled once per codebook
    assert compile_matcher(codebook) is not compile_matcher(load_codebook())


# --------------------------------------------------------------------------------------------
# Country words that name something else: exclusion contexts (issue 14). Each kind is tested
# with true mentions beside it; sentences marked NarrFr / NewsMTSC are quoted from the public
# datasets, the others are written for the rule they test.

CASES = Path(__file__).parent / "cases" / "mentions"
# tests/cases/mentions/expected.csv: "none" rows have no target mention, the others exactly the
# targets listed. Kept here too, so that the test states its answers.
CASE_EXPECTED = {
    "g01": set(),  # The Indian tribes of Oklahoma
    "g03": set(),  # Washington state's governor
    "g04": set(),  # Seattle, Washington
    "g05": set(),  # Denzel Washington
    "g06": set(),  # Russian roulette
    "g08": set(),  # Delhi belly
    "g16": {"us"},  # Native American leaders condemned Washington
    "g17": {"us", "china"},  # US and Chinese diplomats
    "g18": {"us"},  # Georgia's governor met Trump
}


@pytest.fixture(scope="module")
def case_mentions():
    """The mentions case corpus, read, cleaned, segmented and searched like any corpus."""
    from framelens.text.ingest import ingest

    return find_mentions(ingest(CASES).sentences)


def test_case_answers_match_the_case_file():
    expected = pd.read_csv(CASES / "expected.csv", dtype=str)
    from_file = {
        row.article_id: set()
        if row.expected_targets == "none"
        else set(row.expected_targets.split("+"))
        for row in expected.itertuples()
    }
    assert from_file == CASE_EXPECTED


@pytest.mark.parametrize("article_id", sorted(CASE_EXPECTED))
def test_case_mentions_are_the_expected_targets(case_mentions, article_id):
    rows = case_mentions[case_mentions["article_id"] == article_id]
    assert set(rows["target"]) == CASE_EXPECTED[article_id], rows[["matched", "target"]]


def test_washington_the_state_its_towns_and_officials_beside_the_capital():
    # NarrFr
    assert (
        found(
            "Mr. Inslee also tried unsuccessfully last year to get the Washington Legislature to vote on a carbon tax."
        )
        == []
    )
    assert (
        found("In 2015, he ordered Washington's Department of Ecology to impose a cap on carbon.")
        == []
    )
    assert (
        found(
            "This dichotomy is evident in my home state of Washington, where politicians pride themselves."
        )
        == []
    )
    assert found("Earlier this year, Crystal Geyser bought land in Lewis County, Washington.") == []
    assert found("The ship had to be towed to Seattle, Washington and then scrapped.") == []
    assert (
        found(
            "Sanders unveiled his proposal one day after Gov. Jay Inslee of Washington, who made climate change the central focus."
        )
        == []
    )
    assert (
        found("Patty Murray of Washington, one of a number of Democrats who accused Republicans.")
        == []
    )  # NewsMTSC
    assert (
        found(
            "The designation of 9.5 million acres in California, Oregon and Washington as a critical habitat."
        )
        == []
    )
    # A list of states, then the capital as its own jurisdiction (NarrFr).
    assert found(
        "The report pointed to new laws in New Mexico, Nevada, Washington, Maine, New York, "
        "Washington DC, and Puerto Rico for 100% clean energy."
    ) == [("Washington DC", "us")]
    # The capital as the federal government, next to a state (NarrFr).
    assert found(
        "He said the state's battles with Washington over climate are the most essential."
    ) == [("Washington", "us")]
    assert found(
        "Just two days earlier, people from across the US came to Washington to testify."
    ) == [
        ("US", "us"),
        ("Washington", "us"),
    ]
    # A comma is a word of its own: "Washington, state media said" is not Washington state.
    assert found("Beijing criticised Washington, state media said.") == [
        ("Beijing", "china"),
        ("Washington", "us"),
    ]


def test_datelines_later_in_a_line_are_not_actors():
    # NarrFr: a headline and its dateline on one line.
    assert (
        found(
            "Senate confirms acting EPA chief Andrew Wheeler for permanent role WASHINGTON — The "
            "Senate on Thursday confirmed former coal lobbyist Andrew Wheeler."
        )
        == []
    )
    assert found(
        "The Trump administration wants to change that Washington (CNN) Toy gun grasped firmly "
        "in his hand."
    ) == [("Trump administration", "us")]
    assert (
        found(
            "POLITICO -- BULLETIN … “WASHINGTON (AP) — Michelle Obama is headlining voter registration."
        )
        == []
    )  # NewsMTSC
    # An all-capitals run that is not a dateline keeps its mentions.
    assert found("PAKISTAN TURNS TO MOSCOW — AND AWAY FROM WASHINGTON") == [
        ("MOSCOW", "russia"),
        ("WASHINGTON", "us"),
    ]


def test_people_named_like_a_capital_or_a_leader():
    assert found("Kerry Washington and Denzel Washington met President Obama.") == [("Obama", "us")]
    assert (
        found("In a statement Sunday, Trump Jr. acknowledged taking the meeting.") == []
    )  # NewsMTSC
    assert found("“Beau Biden was an original.") == []  # NewsMTSC
    # NewsMTSC: Joseph R. Biden Jr. is the man himself.
    assert found(
        "As aides and allies watched Joseph R. Biden Jr.’s first debate performance last month."
    ) == [("Biden", "us")]


def test_americans_named_by_origin_are_people_but_bilateral_compounds_are_states():
    # NewsMTSC
    assert found(
        "Rubio, a Cuban-American who is weighing a presidential bid in 2016, is a senator."
    ) == [("Rubio", "us")]
    assert found("She's also the first Indian American to serve as the state's governor.") == []
    assert (
        found(
            "Congressional Black Caucus and Congressional Asian Pacific American Caucus met with Mr. Schumer."
        )
        == []
    )
    assert found("Mr. Trump wants to unite only white Americans.") == [("Trump", "us")]
    # Written for the rule: the same compounds naming two states.
    assert found("Mexican-American relations and Chinese-American trade talks resumed.") == [
        ("American", "us"),
        ("Chinese", "china"),
        ("American", "us"),
    ]
    assert found("Chinese Americans in San Francisco celebrated.") == []
    assert found("Chinese and American diplomats met.") == [
        ("Chinese", "china"),
        ("American diplomats", "us"),
    ]


def test_indian_tribes_and_geography_beside_india():
    assert found("Leaders of the Navajo Nation and other Indian tribes met Indian diplomats.") == [
        ("Indian diplomats", "india")
    ]
    assert found("Cherokee Indians and Plains Indians, not Indians from India.") == [
        ("Indians", "india"),
        ("India", "india"),
    ]
    # NewsMTSC: "Indian-Pacific" is an ocean, then India the state.
    assert found(
        "Tillerson referred to an Indian-Pacific Ocean platform, anchored by four democracies: "
        "India, Australia, Japan and the United States."
    ) == [("Tillerson", "us"), ("India", "india"), ("United States", "us")]
    assert found(
        "An Indian summer in Delhi, and a case of Delhi belly after an Indian restaurant."
    ) == [("Delhi", "india")]
    assert found("The court ordered a stop to stubble burning in the states around Delhi.") == [
        ("Delhi", "india")
    ]  # NarrFr


def test_places_named_after_capitals_and_the_languages():
    assert found("The murders in Moscow, Idaho, shocked the town; Moscow denied any role.") == [
        ("Moscow", "russia")
    ]
    assert found("Diplomats from Moscow, New York and London met.") == [("Moscow", "russia")]
    assert found("She answered in Russian. Russian troops crossed the border.") == [
        ("Russian troops", "russia")
    ]
    assert found("He speaks Mandarin Chinese and invested in Russian and Chinese companies.") == [
        ("Russian", "russia"),
        ("Chinese", "china"),
    ]
    assert found(
        "Peking duck, Chinese whispers and a Russian doll; Beijing and Russian officials."
    ) == [
        ("Beijing", "china"),
        ("Russian officials", "russia"),
    ]


def test_organisations_named_american_are_names_or_groups_not_the_state():
    # NarrFr
    assert (
        found(
            "$417,175 from Americans for Prosperity, an advocacy group funded by the Koch brothers."
        )
        == []
    )
    lung = "Ozone pollution is worst in California, according to the American Lung Association."
    assert [(m.matched, m.in_name) for m in mention_spans(lung)] == [("American", True)]


@pytest.mark.parametrize(
    "text",
    [
        # Food, drink, games and culture named after a country (one word may come between).
        "The Mumbai stall sells Indian street food and Chinese dumplings every evening.",
        "A slice of American cheese on white bread is a disgusting, awful lunch.",
        "She served Russian tea and the children played Chinese checkers.",
        "The festival showed Indian classical music, Soviet films and American football.",
        "They played Indian poker until dawn.",
        # Places built on a country word.
        "Russian Hill is a lovely neighbourhood in San Francisco.",
        "Hikers were stranded on Mount Washington and near Lake Washington.",
        "The ferry leaves Port Washington at noon; China Beach is quiet.",
        # Sports teams named after their city.
        "The Mumbai Indians are a horrible, awful team.",
        "Fans of the Delhi Capitals booed, and the Washington Nationals lost too.",
        "Spartak Moscow beat the Chennai side on penalties.",
        # The card game word.
        "Trump cards were played by both sides; his trump card was the budget.",
    ],
)
def test_country_words_that_name_food_places_teams_or_cards_are_not_mentions(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("The Indian Premier League starts in March with ten teams.", "Indian"),
        ("He studied at Washington and Lee University before the war.", "Washington"),
        ("China Daily, the state newspaper, reported the visit.", "China"),
        ("She writes for the Hindustan Times and the Indian Express.", "Hindustan"),
        ("American Airlines cancelled flights to Chicago.", "American"),
    ],
)
def test_a_country_word_inside_a_league_university_paper_or_company_is_in_name(text, matched):
    # Reported with in_name (shown by `codebook match`), but no scorer takes it as evidence.
    mention = one(text, matched)
    assert mention.in_name and mention.role == ""


def test_the_state_beside_food_culture_and_place_words_stays_a_mention():
    assert found("Chinese officials' food aid reached the camps.") == [
        ("Chinese officials", "china")
    ]
    assert found("Indian exports of tea and rice rose; Russian gas flows resumed.") == [
        ("Indian", "india"),
        ("Russian", "russia"),
    ]
    assert found("The Indian premier met Chinese Premier Li Qiang in Moscow.") == [
        ("Indian premier", "india"),
        ("Chinese Premier", "china"),
        ("Li Qiang", "china"),
        ("Moscow", "russia"),
    ]
    assert found("Washington played its trump card when Trump cards arrived by mail.") == [
        ("Washington", "us"),
    ]
    assert found("Many Indians and South Indians voted; the Indians who left came back.") == [
        ("Indians", "india"),
        ("Indians", "india"),
        ("Indians", "india"),
    ]


def test_excluded_matches_are_reported_only_when_asked_with_their_rule():
    text = "The Indian tribes of Oklahoma met Indian officials."  # written for the test
    assert found(text) == [("Indian officials", "india")]
    spans = mention_spans(text, excluded=True)
    assert [(m.matched, m.excluded.split(" (")[0]) for m in spans] == [
        ("Indian", "targets.india.exclusion_contexts[0]"),
        ("Indian officials", ""),
    ]
    assert "Native Americans" in spans[0].excluded  # the rule's note
    assert mention_spans("Latin America", excluded=True)[0].excluded == "targets.us.exclusions"
    assert mention_spans("LET US ASK", excluded=True)[0].excluded == "targets.us.homographs"


# A researcher's codebook with context rules for a target of its own.
JORDAN = """
[targets.jordan]
label = "Jordan"
exclusions = ["Jordan River"]
[targets.jordan.aliases]
state = ["Jordan"]
capital = ["Amman"]
demonym = ["Jordanian"]

[[targets.jordan.exclusion_contexts]]
note = "people named Jordan"
aliases = ["Jordan"]
before = ["Michael", "Air"]
after = ["Peterson", "'s sneakers"]
before_patterns = ['\\bcoach[^\\S\\n]+\\Z']
window = 2

[[targets.jordan.exclusion_contexts]]
note = "a town, not the capital"
aliases = ["Amman"]
after_patterns = [',[^\\S\\n]*Texas\\b']

[[targets.jordan.exclusion_contexts]]
note = "Jordanians of Palestinian origin are people, but Palestinian-Jordanian talks are two sides"
aliases = ["Jordanian"]
before = ["Palestinian"]
unless_after = ["talks", "relations"]

[frames.security]
definition = "Armed force."
seed_terms = ["army"]
"""


def test_a_researchers_context_rules_with_windows_phrases_patterns_and_unless():
    book = parse_codebook(JORDAN)
    rule = book.target("jordan").exclusion_contexts[0]
    assert (rule.aliases, rule.window, rule.note) == (("Jordan",), 2, "people named Jordan")

    def targets(text):
        return [m.matched for m in mention_spans(text, book)]

    assert targets("Michael Jordan visited Jordan.") == ["Jordan"]
    assert targets("Michael B. Jordan visited Amman.") == ["Amman"]  # one word in between
    assert targets("Michael the cook said Jordan objected.") == ["Jordan"]  # three words away
    assert targets("Jordan Peterson spoke; Jordan's sneakers sold out; Jordan's army did not.") == [
        "Jordan's army"
    ]
    assert targets("His coach Jordan spoke, and the Jordan River is low.") == []
    assert targets("Amman, Texas and Amman, Jordan.") == ["Amman", "Jordan"]
    talks = "A Palestinian Jordanian saw Palestinian-Jordanian talks."
    assert [m.start for m in mention_spans(talks, book)] == [talks.rindex("Jordanian")]
    # The window stops at a line break: a heading does not reach into the next line.
    assert targets("Air\nJordan signed the deal.") == ["Jordan"]
    assert targets("Air Jordan signed the deal.") == []


def test_context_rules_read_a_bounded_window_around_the_alias():
    from framelens.text.mentions import CONTEXT_CHARS

    book = parse_codebook(JORDAN)
    assert [m.matched for m in mention_spans("Amman, Texas", book)] == []
    # Patterns and words see at most CONTEXT_CHARS characters on each side of the alias, so
    # the check costs the same in any article: "Texas" beyond them is not read.
    padded = "Amman," + " " * CONTEXT_CHARS + "Texas"
    assert [m.matched for m in mention_spans(padded, book)] == ["Amman"]


def test_codebook_without_contexts_keeps_its_hash_layout():
    book = parse_codebook(JORDAN)
    plain = parse_codebook(
        JORDAN.split("[[targets.jordan.exclusion_contexts]]")[0]
        + JORDAN[JORDAN.index("[frames.security]") :]
    )
    assert "exclusion_contexts" not in plain.to_dict()["targets"]["jordan"]
    assert book.to_dict()["targets"]["jordan"]["exclusion_contexts"][2]["unless_after"] == [
        "talks",
        "relations",
    ]
    assert book.hash != plain.hash
    changed = parse_codebook(JORDAN.replace('"Peterson"', '"Peters"'))
    assert changed.hash != book.hash


# --------------------------------------------------------------------------------------------
# Shortcuts of the matcher (issue 12): each must find exactly what the plain search finds.


def test_required_literal_is_a_string_every_match_holds():
    from framelens.text.mentions import _required_literal

    assert _required_literal(r"U\.?S\.? dollars?") == "dollar"
    # The shipped dateline pattern: "WASHINGTON" is the longest run outside the optional parts.
    assert _required_literal(r"(?m:^)[^\S\n]*WASHINGTON(?:,?[^\S\n]*D\.?C\.?)?") == "WASHINGTON"
    assert _required_literal(r"(?:Sino)+(?=[-‐‑–])") == "Sino"  # a repeat run at least once
    assert _required_literal(r"x(?i:abc)y") == "x"  # case-insensitive parts end a run
    # Of runs as long, a symbol is rarer in prose than a letter (the shipped currency pattern).
    assert _required_literal(r"U\.?S\.?\s?\$\s?[\d.,]*\d") == "$"
    # Nothing that every match must hold, as written: no shortcut for such a pattern.
    assert _required_literal(r"(?i)washington") == ""
    assert _required_literal(r"Moscow|Kremlin") == ""
    assert _required_literal(r"(?:ab)?c?") == ""


def test_pattern_shortcut_changes_no_match(raw):
    import copy

    matcher = compile_matcher(load_codebook())
    assert matcher.pattern_hint is not None  # the shipped patterns all need a literal
    plain = copy.copy(matcher)
    plain.pattern_hint = None  # search every text with the patterns
    # Sentences that the patterns match (datelines, currency, "follow us", languages, prefixes)
    # and sentences without any of their literals, beside the seed articles.
    texts = [
        "WASHINGTON (Reuters) - The U.S. and Russia met.",
        "MOSCOW, March 6 — Russia offered Pakistan a deal.",
        "The deal is worth US$ 5 billion, paid in U.S. dollars.",
        "Follow us on Twitter for more on China.",
        "She speaks Russian and Chinese.",
        "Sino-Russian ties and Indo-Pak talks were discussed.",
        "Pakistan and India signed a trade deal.",
        *raw.values(),
    ]
    for text in texts:
        assert matcher.spans(text, excluded=True) == plain.spans(text, excluded=True), text
    # Not vacuous: the patterns do match here, and then the shortcut lets them be searched.
    assert any(m.excluded for m in matcher.spans(texts[0], excluded=True))
    assert [m.matched for m in matcher.spans(texts[5])][:1] == ["Sino"]


def test_literal_aliases_whole_words_with_the_boundary_after_the_first_letter():
    import re

    from framelens.text.mentions import _atoms, _bounded, _bounded_trie
    from framelens.text.patterns import trie_regex

    phrases = ["US", "U.S.", "New Delhi", "Delhi", "Washington", "Washington, D.C.", "India"]
    fast = re.compile(_bounded_trie(phrases))
    plain = re.compile(_bounded(trie_regex(_atoms(p) for p in phrases)))
    assert fast.pattern != plain.pattern
    texts = [
        "US",  # at the start and the end of the text
        "xUS USx US_ 9US US9 (US) 'US' -US",  # only the bracketed, quoted and dashed count
        "xNew Delhi, New Delhi\nNew Delhi",  # inside a word the shorter alias still counts
        "Washington, D.C. and Washington, DC and U.S. and U.S",
        "Indiana India's Indian India",
    ]
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.group() for m in fast.finditer(texts[2])] == ["Delhi", "New Delhi", "New Delhi"]


def test_context_words_from_a_short_stretch_are_the_nearest_of_the_whole():
    from framelens.text.mentions import CONTEXT_CHARS, _Around

    # Long words with apostrophes and possessives, so that the short stretch cuts one in two;
    # short words, so that it holds many; punctuation words; a line break.
    texts = [
        "The rock'n'roll's Governor-elect O'Neill's staff, in Seattle; Washington's "
        "governor's rock'n'roll'ers' extraordinarily incomprehensible acknowledgements.",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z Washington a b c d e f g h i j",
        "Incomprehensibilities' counterrevolutionaries' Washington's "
        "internationalisation's uncharacteristically",
        "First line of text here\nWashington\nand the next line of text",
        "Washington",
    ]
    for text in texts:
        start = text.index("Washington")
        end = start + len("Washington")
        whole = _Around(text, start, end, CONTEXT_CHARS)
        for need in (1, 2, 3, 5, 8):
            near = _Around(text, start, end, need)
            for short, full in (
                (near.words_before, whole.words_before),
                (near.words_after, whole.words_after),
            ):
                assert short == full[: len(short)]
                assert len(short) >= min(need, len(full))
