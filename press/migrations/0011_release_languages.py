"""Releases in several languages: each release says its language and, for a translation,
the original it translates; its search vector is made with its language's configuration
(PostgreSQL's stemming and stop words for it, ``simple`` for a language without one).

The search trigger is replaced by one that reads the row's language, and runs when the
language changes too. Every release so far is English, so no vector changes. On SQLite
the new columns make Django copy the table, so its freshness triggers are made again.
"""

import django.db.models.deletion
from django.db import migrations, models

from taxonomy.freshness import watch_again

# As press.search.SEARCH_CONFIGS was when this was written (a migration keeps its own).
SEARCH_CONFIGS = {
    "en": "english",
    "ru": "russian",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "es": "spanish",
}
# The word put between title and body so that a phrase cannot run from one into the
# other: a stop word of the language, which the vector skips but counts.
GAP_WORDS = {"en": "the", "ru": "и", "fr": "le", "de": "der", "it": "il", "es": "el"}


def _case(values, otherwise):
    whens = " ".join(f"WHEN '{code}' THEN '{value}'" for code, value in values.items())
    return f"CASE language {whens} ELSE '{otherwise}' END"


CREATE = f"""
CREATE FUNCTION press_search_config(language text) RETURNS regconfig AS $$
    SELECT ({_case(SEARCH_CONFIGS, "simple")})::regconfig
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION press_search_gap(language text) RETURNS text AS $$
    SELECT {_case(GAP_WORDS, "")}
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION press_release_search_vector() RETURNS trigger AS $$
DECLARE
    config regconfig := press_search_config(NEW.language);
BEGIN
    -- A stop word of the language between title and body keeps a gap, so that a phrase
    -- cannot run from the title's last word into the body's first.
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(
            to_tsvector(config, press_search_gap(NEW.language) || ' ' || coalesce(NEW.body, '')),
            'B'
        );
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER press_release_search_vector ON press_release;
CREATE TRIGGER press_release_search_vector
    BEFORE INSERT OR UPDATE OF title, body, language ON press_release
    FOR EACH ROW EXECUTE FUNCTION press_release_search_vector();
"""

DROP = """
CREATE OR REPLACE FUNCTION press_release_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', 'the ' || coalesce(NEW.body, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER press_release_search_vector ON press_release;
CREATE TRIGGER press_release_search_vector
    BEFORE INSERT OR UPDATE OF title, body ON press_release
    FOR EACH ROW EXECUTE FUNCTION press_release_search_vector();

DROP FUNCTION press_search_gap(text);
DROP FUNCTION press_search_config(text);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("press", "0010_lead_images")]

    operations = [
        watch_again("content", "press.Release"),  # undone last: after SQLite's copy back
        migrations.AddField(
            model_name="release",
            name="language",
            field=models.CharField(
                choices=[
                    ("en", "English"),
                    ("ru", "Русский"),
                    ("fr", "Français"),
                    ("de", "Deutsch"),
                    ("it", "Italiano"),
                    ("es", "Español"),
                ],
                db_default="en",
                db_index=True,
                default="en",
                help_text="The language it is written in: it is listed, searched and shown in it.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="release",
            name="translation_of",
            field=models.ForeignKey(
                blank=True,
                help_text="The original this release translates; empty for an original.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="press.release",
                verbose_name="translation of",
            ),
        ),
        migrations.AddConstraint(
            model_name="release",
            constraint=models.UniqueConstraint(
                fields=("translation_of", "language"),
                name="release_one_translation_per_language",
                violation_error_message="This release already has a translation in that language.",
            ),
        ),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
        watch_again("content", "press.Release"),  # SQLite copied the table for the new columns
    ]
