"""``press_search_query``: PostgreSQL's web search syntax, except that a query of one
hyphenated word is read as that word's own lexeme.

Why: PostgreSQL reads "co-operation" as the phrase 'co-oper' <-> 'co' <-> 'oper', since
its parser writes a hyphenated word as the whole word and then its parts, one after the
other. A phrase cannot come from the index alone: every release holding the three words
is read to check their places, five seconds for "co-operation" at 1,000,000 releases.
The whole word's lexeme finds the same releases (the parts always follow it), and is one
word, which the finder's postings hold ready (press/postings.py). Only a query that is
one such word is changed: in "anti-corruption reform", or in quotes with other words,
the phrase keeps its places.
"""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION press_search_query(config regconfig, query text) RETURNS tsquery AS $$
    SELECT CASE
        WHEN btrim(query) !~ '\s'
            AND parsed::text ~ '^''[^'' ]+-[^'' ]+''( <(-|[0-9]+)> ''[^'' ]+'')+$'
        THEN split_part(parsed::text, ' ', 1)::tsquery
        ELSE parsed
    END
    FROM websearch_to_tsquery(config, query) AS parsed
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION press_search_query(regconfig, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0015_search_vector_kept_inline"),
    ]

    operations = [migrations.RunPython(create, drop)]
