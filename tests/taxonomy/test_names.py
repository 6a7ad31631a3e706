"""How the archive's spellings of a name are reduced to one key, shown, slugged and sorted."""

import pytest

from taxonomy.models import default_sort_name
from taxonomy.names import display_case, fold, make_slug, name_key


class TestNameKey:
    @pytest.mark.parametrize(
        "spelling",
        [
            "OSCE Mission to Moldova",
            "Mission to Moldova",
            "MISSION TO MOLDOVA",
            "osce mission to moldova",
            "  OSCE   Mission to\tMoldova ",
        ],
    )
    def test_the_archives_spellings_of_one_term_share_a_key(self, spelling):
        assert name_key(spelling) == "mission to moldova"

    def test_a_leading_the_is_dropped(self):
        assert name_key("The Netherlands") == name_key("Netherlands") == "netherlands"
        assert name_key("THE HAGUE") == "hague"

    def test_the_and_osce_are_dropped_only_as_whole_leading_words(self):
        assert name_key("Theodore Land") == "theodore land"
        assert name_key("OSCEland") == "osceland"
        assert name_key("Secretariat of the OSCE") == "secretariat of the osce"

    def test_diacritics_and_case_are_ignored(self):
        assert name_key("Türkiye") == name_key("TURKIYE") == name_key("turkiye") == "turkiye"
        assert name_key("Priština") == name_key("Pristina")
        assert name_key("Genève") == "geneve"

    def test_dashes_compare_equal_to_a_hyphen(self):
        hyphen = name_key("Nagorno-Karabakh")
        assert name_key("Nagorno–Karabakh") == hyphen  # en dash
        assert name_key("Nagorno—Karabakh") == hyphen  # em dash
        assert name_key("Nagorno‑Karabakh") == hyphen  # non-breaking hyphen

    def test_a_curly_apostrophe_compares_equal_to_a_straight_one(self):
        assert name_key("People’s Republic") == name_key("People's Republic")

    def test_different_names_keep_different_keys(self):
        assert name_key("Mission to Serbia") != name_key("Mission to Skopje")

    def test_fold_keeps_a_leading_the(self):
        assert fold("The Hague") == "the hague"


class TestDisplayCase:
    @pytest.mark.parametrize(
        ("capitals", "shown"),
        [
            ("NEW YORK", "New York"),
            ("VIENNA", "Vienna"),
            ("BOSNIA AND HERZEGOVINA", "Bosnia and Herzegovina"),
            ("THE HAGUE", "The Hague"),
            ("NUR-SULTAN", "Nur-Sultan"),
            ("ANDORRA LA VELLA", "Andorra la Vella"),
            ("WASHINGTON, D.C.", "Washington, D.C."),
            ("REPUBLIC OF NORTH MACEDONIA", "Republic of North Macedonia"),
        ],
    )
    def test_a_name_in_capitals_is_shown_in_title_case(self, capitals, shown):
        assert display_case(capitals) == shown

    def test_a_small_word_first_is_capitalised(self):
        assert display_case("OF MICE AND MEN") == "Of Mice and Men"

    @pytest.mark.parametrize(
        "mixed", ["The Hague", "OSCE Mission to Skopje", "New York", "ODIHR and the HCNM"]
    )
    def test_a_name_in_mixed_case_is_kept_as_written(self, mixed):
        assert display_case(mixed) == mixed

    def test_runs_of_spaces_are_collapsed(self):
        assert display_case("  NEW   YORK ") == "New York"
        assert display_case("The  Hague ") == "The Hague"


class TestMakeSlug:
    @pytest.mark.parametrize(
        ("name", "slug"),
        [
            ("Cyber/ICT Security", "cyber-ict-security"),
            ("Roma and Sinti", "roma-and-sinti"),
            ("Arms & control", "arms-control"),
            ("Science+Technology", "science-technology"),
            ("Türkiye", "turkiye"),
            (
                "Reform and co-operation in the security sector",
                "reform-and-co-operation-in-the-security-sector",
            ),
            ("Washington, D.C.", "washington-dc"),
        ],
    )
    def test_a_name_becomes_an_ascii_slug(self, name, slug):
        assert make_slug(name) == slug

    def test_a_slash_separates_two_words_rather_than_gluing_them(self):
        assert make_slug("Cyber/ICT") == "cyber-ict"
        assert make_slug("Cyber/ICT") != "cyberict"


class TestDefaultSortName:
    def test_a_leading_the_is_not_alphabetised(self):
        assert default_sort_name("The Netherlands") == "Netherlands"
        assert default_sort_name("the Hague") == "Hague"

    def test_diacritics_are_alphabetised_as_plain_letters(self):
        assert default_sort_name("Türkiye") == "Turkiye"

    def test_a_name_that_merely_begins_with_the_letters_the_is_kept(self):
        assert default_sort_name("Thessaloniki") == "Thessaloniki"

    def test_sort_names_order_turkiye_between_tajikistan_and_turkmenistan(self):
        names = ["Turkmenistan", "Türkiye", "Tajikistan", "The Netherlands", "Norway"]
        assert sorted(names, key=default_sort_name) == [
            "The Netherlands",
            "Norway",
            "Tajikistan",
            "Türkiye",
            "Turkmenistan",
        ]
