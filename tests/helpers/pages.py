"""Public pages read as a visitor reads them: the HTML parsed into a tree of nodes, the
page's main part, the menu's sections, the releases' cards and the finder's chips."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Node:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.children = []

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        """Descendants by tag, by one of their classes, and by exact attribute values."""
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.attrs.get("class", "").split():
                continue
            if any(node.attrs.get(name.replace("_", "-")) != v for name, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}> in the page"
        return found[0]

    @property
    def text(self):
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    def links(self):
        """(text, href) of every link inside."""
        return [(a.text, a.attrs.get("href")) for a in self.find_all("a")]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def page(response):
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def main(response):
    return page(response).find("main")


def assert_menu(response):
    """The page is in the site's layout: the menu with its sections is there."""
    menu = page(response).find("nav", cls="menu")
    sections = [summary.text for summary in menu.find_all("summary")]
    assert "Structures and institutions" in sections
    assert "Countries" in sections
    assert ("Secretariat", "/structures/secretariat/") in menu.links()
    assert ("Participating States", "/countries/#participating-states") in menu.links()


def card_titles(response):
    return [card.find("h3", cls="card__title").text for card in main(response).find_all(cls="card")]


def chip_label(link):
    """A chip's visible label: without the words only screen readers hear, and the cross."""
    parts = []
    for child in link.children:
        if isinstance(child, str):
            parts.append(child)
        elif not ({"visually-hidden"} & set(child.attrs.get("class", "").split())) and (
            child.attrs.get("aria-hidden") != "true"
        ):
            parts.append(child.text)
    return " ".join(" ".join(parts).split())


def chips(response):
    """[(label, href)] of the active-filter chips."""
    return [(chip_label(a), a.attrs["href"]) for a in main(response).find_all("a", cls="chip")]
