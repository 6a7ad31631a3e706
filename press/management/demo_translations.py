"""Demo translations: Russian versions of a share of the demo releases, and a few French,
German, Spanish and Italian ones.

:func:`translated` takes the English demo releases as :mod:`press.management.demo_releases`
makes them and gives some of them translations, as the organisation's newsroom does: about a
third in Russian, a few in another official language. A translation is written from its
group's facts (its source, fields of work, place, the country it is about, its type and
date), not word for word from the English, in the register of the organisation's Russian
pages and with each noun in the case its sentence needs, so that Russian stemming has several
forms of a word to join (выборы, выборов, выборах). It shares the group's type, place, date
and terms, as a translation made in the admin does (``press.models.SHARED_FIELDS`` and
``SHARED_RELATIONS``).

The choices come from a generator of their own, seeded from the run's seed: the same seed
gives the same translations, and the English releases are the same whatever the shares.
Pure, like the module it extends: nothing here reads or writes the database.
"""

import html
import random

from django.utils import timezone

from press.management.demo_releases import (
    _SUFFIX_ALPHABET,
    ODIHR,
    SLUG_SUFFIX_LENGTH,
    DemoRelease,
    _capital_first,
    _slug_stem,
)
from press.models import Release

Type = Release.Type

RUSSIAN_SHARE = 0.33
OTHER_SHARE = 0.025
OTHER_LANGUAGES = ("fr", "de", "es", "it")
# Of the releases translated into another language than Russian, how many get a second one.
SECOND_OTHER_SHARE = 0.2
# A translation's own state: a few still drafts, a few behind a later change of their original.
DRAFT_SHARE = 0.03
NEEDS_UPDATE_SHARE = 0.04

# Cyrillic in slugs, as the site's Russian addresses spell it ("nabliudateli-o-vyborakh").
CYRILLIC = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
        **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ъ": "ie", "ь": "", "ю": "iu", "я": "ia"},
    }
)

# Russian. Names by the reference data's English name, each as (nominative, after "в").
RU_COUNTRIES = {
    "Albania": ("Албания", "в Албании"),
    "Andorra": ("Андорра", "в Андорре"),
    "Armenia": ("Армения", "в Армении"),
    "Austria": ("Австрия", "в Австрии"),
    "Azerbaijan": ("Азербайджан", "в Азербайджане"),
    "Belgium": ("Бельгия", "в Бельгии"),
    "Belarus": ("Беларусь", "в Беларуси"),
    "Bosnia and Herzegovina": ("Босния и Герцеговина", "в Боснии и Герцеговине"),
    "Bulgaria": ("Болгария", "в Болгарии"),
    "Canada": ("Канада", "в Канаде"),
    "Croatia": ("Хорватия", "в Хорватии"),
    "Cyprus": ("Кипр", "на Кипре"),
    "Czech Republic": ("Чешская Республика", "в Чешской Республике"),
    "Denmark": ("Дания", "в Дании"),
    "Estonia": ("Эстония", "в Эстонии"),
    "Finland": ("Финляндия", "в Финляндии"),
    "France": ("Франция", "во Франции"),
    "Georgia": ("Грузия", "в Грузии"),
    "Germany": ("Германия", "в Германии"),
    "Greece": ("Греция", "в Греции"),
    "Holy See": ("Святой Престол", "в Святом Престоле"),
    "Hungary": ("Венгрия", "в Венгрии"),
    "Iceland": ("Исландия", "в Исландии"),
    "Ireland": ("Ирландия", "в Ирландии"),
    "Italy": ("Италия", "в Италии"),
    "Kazakhstan": ("Казахстан", "в Казахстане"),
    "Kyrgyzstan": ("Кыргызстан", "в Кыргызстане"),
    "Latvia": ("Латвия", "в Латвии"),
    "Liechtenstein": ("Лихтенштейн", "в Лихтенштейне"),
    "Lithuania": ("Литва", "в Литве"),
    "Luxembourg": ("Люксембург", "в Люксембурге"),
    "Malta": ("Мальта", "на Мальте"),
    "Moldova": ("Молдова", "в Молдове"),
    "Monaco": ("Монако", "в Монако"),
    "Mongolia": ("Монголия", "в Монголии"),
    "Montenegro": ("Черногория", "в Черногории"),
    "The Netherlands": ("Нидерланды", "в Нидерландах"),
    "North Macedonia": ("Северная Македония", "в Северной Македонии"),
    "Norway": ("Норвегия", "в Норвегии"),
    "Poland": ("Польша", "в Польше"),
    "Portugal": ("Португалия", "в Португалии"),
    "Romania": ("Румыния", "в Румынии"),
    "Russian Federation": ("Российская Федерация", "в Российской Федерации"),
    "San Marino": ("Сан-Марино", "в Сан-Марино"),
    "Serbia": ("Сербия", "в Сербии"),
    "Slovakia": ("Словакия", "в Словакии"),
    "Slovenia": ("Словения", "в Словении"),
    "Spain": ("Испания", "в Испании"),
    "Sweden": ("Швеция", "в Швеции"),
    "Switzerland": ("Швейцария", "в Швейцарии"),
    "Tajikistan": ("Таджикистан", "в Таджикистане"),
    "Türkiye": ("Турция", "в Турции"),
    "Turkmenistan": ("Туркменистан", "в Туркменистане"),
    "Ukraine": ("Украина", "в Украине"),
    "United Kingdom": ("Соединенное Королевство", "в Соединенном Королевстве"),
    "United States of America": ("Соединенные Штаты Америки", "в Соединенных Штатах Америки"),
    "Uzbekistan": ("Узбекистан", "в Узбекистане"),
    "Afghanistan": ("Афганистан", "в Афганистане"),
    "Australia": ("Австралия", "в Австралии"),
    "Japan": ("Япония", "в Японии"),
    "Republic of Korea": ("Республика Корея", "в Республике Корея"),
    "Thailand": ("Таиланд", "в Таиланде"),
    "Algeria": ("Алжир", "в Алжире"),
    "Egypt": ("Египет", "в Египте"),
    "Israel": ("Израиль", "в Израиле"),
    "Jordan": ("Иордания", "в Иордании"),
    "Morocco": ("Марокко", "в Марокко"),
    "Tunisia": ("Тунис", "в Тунисе"),
}
# Where a field operation without a host country works (demo_releases.REGIONS).
RU_REGIONS = {"mission-in-kosovo": ("Косово", "в Косово")}
RU_PLACES = {
    "Tirana": ("Тирана", "в Тиране"),
    "Andorra la Vella": ("Андорра-ла-Велья", "в Андорре-ла-Велье"),
    "Yerevan": ("Ереван", "в Ереване"),
    "Vienna": ("Вена", "в Вене"),
    "Baku": ("Баку", "в Баку"),
    "Brussels": ("Брюссель", "в Брюсселе"),
    "Minsk": ("Минск", "в Минске"),
    "Sarajevo": ("Сараево", "в Сараево"),
    "Sofia": ("София", "в Софии"),
    "Ottawa": ("Оттава", "в Оттаве"),
    "Zagreb": ("Загреб", "в Загребе"),
    "Nicosia": ("Никосия", "в Никосии"),
    "Prague": ("Прага", "в Праге"),
    "Copenhagen": ("Копенгаген", "в Копенгагене"),
    "Tallinn": ("Таллин", "в Таллине"),
    "Helsinki": ("Хельсинки", "в Хельсинки"),
    "Paris": ("Париж", "в Париже"),
    "Tbilisi": ("Тбилиси", "в Тбилиси"),
    "Berlin": ("Берлин", "в Берлине"),
    "Athens": ("Афины", "в Афинах"),
    "Vatican City": ("Ватикан", "в Ватикане"),
    "Budapest": ("Будапешт", "в Будапеште"),
    "Reykjavik": ("Рейкьявик", "в Рейкьявике"),
    "Dublin": ("Дублин", "в Дублине"),
    "Rome": ("Рим", "в Риме"),
    "Astana": ("Астана", "в Астане"),
    "Bishkek": ("Бишкек", "в Бишкеке"),
    "Riga": ("Рига", "в Риге"),
    "Vaduz": ("Вадуц", "в Вадуце"),
    "Vilnius": ("Вильнюс", "в Вильнюсе"),
    "Luxembourg": ("Люксембург", "в Люксембурге"),
    "Valletta": ("Валлетта", "в Валлетте"),
    "Chisinau": ("Кишинев", "в Кишиневе"),
    "Monaco": ("Монако", "в Монако"),
    "Ulaanbaatar": ("Улан-Батор", "в Улан-Баторе"),
    "Podgorica": ("Подгорица", "в Подгорице"),
    "Amsterdam": ("Амстердам", "в Амстердаме"),
    "Skopje": ("Скопье", "в Скопье"),
    "Oslo": ("Осло", "в Осло"),
    "Warsaw": ("Варшава", "в Варшаве"),
    "Lisbon": ("Лиссабон", "в Лиссабоне"),
    "Bucharest": ("Бухарест", "в Бухаресте"),
    "Moscow": ("Москва", "в Москве"),
    "San Marino": ("Сан-Марино", "в Сан-Марино"),
    "Belgrade": ("Белград", "в Белграде"),
    "Bratislava": ("Братислава", "в Братиславе"),
    "Ljubljana": ("Любляна", "в Любляне"),
    "Madrid": ("Мадрид", "в Мадриде"),
    "Stockholm": ("Стокгольм", "в Стокгольме"),
    "Bern": ("Берн", "в Берне"),
    "Dushanbe": ("Душанбе", "в Душанбе"),
    "Ankara": ("Анкара", "в Анкаре"),
    "Ashgabat": ("Ашхабад", "в Ашхабаде"),
    "Kyiv": ("Киев", "в Киеве"),
    "London": ("Лондон", "в Лондоне"),
    "Washington, D.C.": ("Вашингтон", "в Вашингтоне"),
    "Tashkent": ("Ташкент", "в Ташкенте"),
    "Kabul": ("Кабул", "в Кабуле"),
    "Canberra": ("Канберра", "в Канберре"),
    "Tokyo": ("Токио", "в Токио"),
    "Seoul": ("Сеул", "в Сеуле"),
    "Bangkok": ("Бангкок", "в Бангкоке"),
    "Algiers": ("Алжир", "в Алжире"),
    "Cairo": ("Каир", "в Каире"),
    "Jerusalem": ("Иерусалим", "в Иерусалиме"),
    "Amman": ("Амман", "в Аммане"),
    "Rabat": ("Рабат", "в Рабате"),
    "Tunis": ("Тунис", "в Тунисе"),
    "The Hague": ("Гаага", "в Гааге"),
    "Geneva": ("Женева", "в Женеве"),
    "Pristina": ("Приштина", "в Приштине"),
}
RU_NOWHERE = "в регионе ОБСЕ"
# Structures by slug as (nominative, genitive); others are "ОБСЕ". Sentences put a source
# only where its verb has no gender (the present tense, "при поддержке …").
RU_SOURCES = {
    "chairpersonship": ("Председательство в ОБСЕ", "Председательства в ОБСЕ"),
    "secretariat": ("Секретариат ОБСЕ", "Секретариата ОБСЕ"),
    "secretary-general": ("Генеральный секретарь ОБСЕ", "Генерального секретаря ОБСЕ"),
    "office-of-the-secretary-general": (
        "Канцелярия Генерального секретаря ОБСЕ",
        "Канцелярии Генерального секретаря ОБСЕ",
    ),
    "conflict-prevention-centre": (
        "Центр ОБСЕ по предотвращению конфликтов",
        "Центра ОБСЕ по предотвращению конфликтов",
    ),
    "transnational-threats-department": (
        "Департамент ОБСЕ по транснациональным угрозам",
        "Департамента ОБСЕ по транснациональным угрозам",
    ),
    "office-of-the-special-representative-and-co-ordinator-for-combating-trafficking-in-"
    "human-beings": (
        "Бюро Специального представителя ОБСЕ по борьбе с торговлей людьми",
        "Бюро Специального представителя ОБСЕ по борьбе с торговлей людьми",
    ),
    "office-of-the-co-ordinator-of-osce-economic-and-environmental-activities": (
        "Бюро Координатора экономической и экологической деятельности ОБСЕ",
        "Бюро Координатора экономической и экологической деятельности ОБСЕ",
    ),
    "gender-issues-programme": (
        "Программа ОБСЕ по гендерным вопросам",
        "Программы ОБСЕ по гендерным вопросам",
    ),
    "opportunities-for-youth": (
        "Программа ОБСЕ «Возможности для молодежи»",
        "Программы ОБСЕ «Возможности для молодежи»",
    ),
    "department-of-human-resources": (
        "Департамент людских ресурсов ОБСЕ",
        "Департамента людских ресурсов ОБСЕ",
    ),
    "department-of-management-and-finance": (
        "Департамент управления и финансов ОБСЕ",
        "Департамента управления и финансов ОБСЕ",
    ),
    "office-of-internal-oversight": ("Бюро внутреннего надзора ОБСЕ",) * 2,
    "documentation-centre-in-prague": (
        "Документационный центр ОБСЕ в Праге",
        "Документационного центра ОБСЕ в Праге",
    ),
    ODIHR: ("БДИПЧ ОБСЕ", "БДИПЧ ОБСЕ"),
    "high-commissioner-on-national-minorities": (
        "Верховный комиссар ОБСЕ по делам национальных меньшинств",
        "Верховного комиссара ОБСЕ по делам национальных меньшинств",
    ),
    "representative-on-freedom-of-the-media": (
        "Представитель ОБСЕ по вопросам свободы СМИ",
        "Представителя ОБСЕ по вопросам свободы СМИ",
    ),
    "presence-in-albania": ("Присутствие ОБСЕ в Албании", "Присутствия ОБСЕ в Албании"),
    "centre-in-ashgabat": ("Центр ОБСЕ в Ашхабаде", "Центра ОБСЕ в Ашхабаде"),
    "programme-office-in-astana": ("Офис программ ОБСЕ в Астане", "Офиса программ ОБСЕ в Астане"),
    "programme-office-in-bishkek": (
        "Офис программ ОБСЕ в Бишкеке",
        "Офиса программ ОБСЕ в Бишкеке",
    ),
    "mission-to-bosnia-and-herzegovina": (
        "Миссия ОБСЕ в Боснии и Герцеговине",
        "Миссии ОБСЕ в Боснии и Герцеговине",
    ),
    "programme-office-in-dushanbe": (
        "Офис программ ОБСЕ в Душанбе",
        "Офиса программ ОБСЕ в Душанбе",
    ),
    "mission-in-kosovo": ("Миссия ОБСЕ в Косово", "Миссии ОБСЕ в Косово"),
    "mission-to-moldova": ("Миссия ОБСЕ в Молдове", "Миссии ОБСЕ в Молдове"),
    "mission-to-montenegro": ("Миссия ОБСЕ в Черногории", "Миссии ОБСЕ в Черногории"),
    "mission-to-serbia": ("Миссия ОБСЕ в Сербии", "Миссии ОБСЕ в Сербии"),
    "mission-to-skopje": ("Миссия ОБСЕ в Скопье", "Миссии ОБСЕ в Скопье"),
    "project-co-ordinator-in-uzbekistan": (
        "Координатор проектов ОБСЕ в Узбекистане",
        "Координатора проектов ОБСЕ в Узбекистане",
    ),
    "parliamentary-assembly": ("Парламентская ассамблея ОБСЕ", "Парламентской ассамблеи ОБСЕ"),
    "court-of-conciliation-and-arbitration": (
        "Суд по примирению и арбитражу в рамках ОБСЕ",
        "Суда по примирению и арбитражу в рамках ОБСЕ",
    ),
}
# How a lead names a source the first time, where a title uses the short name.
RU_FULL_NAMES = {ODIHR: "Бюро ОБСЕ по демократическим институтам и правам человека (БДИПЧ)"}
# Fields of work in the genitive ("в области …", "по вопросам …", "укрепления …").
RU_TOPICS = {
    "arms-control": ["контроля над стрелковым оружием", "безопасности хранения боеприпасов"],
    "border-management": ["безопасности и управления границами", "трансграничного сотрудничества"],
    "combating-trafficking-in-human-beings": [
        "выявления жертв торговли людьми",
        "борьбы с торговлей людьми",
    ],
    "conflict-prevention-and-resolution": ["предотвращения конфликтов", "укрепления доверия"],
    "countering-terrorism": [
        "противодействия насильственному экстремизму",
        "борьбы с терроризмом",
    ],
    "cyber-ict-security": ["кибербезопасности", "мер доверия в киберпространстве"],
    "democratization": ["демократического управления", "парламентского контроля"],
    "economic-activities": ["экономической взаимосвязанности", "содействия торговле"],
    "education": ["образования в области прав человека", "инклюзивного образования"],
    "elections": ["избирательной реформы", "организации выборов", "наблюдения за выборами"],
    "environmental-activities": ["экологической безопасности", "управления водными ресурсами"],
    "gender-equality": ["гендерного равенства", "участия женщин в политической жизни"],
    "good-governance": ["надлежащего управления", "борьбы с коррупцией"],
    "human-rights": ["прав человека", "мониторинга соблюдения прав человека"],
    "media-freedom-and-development": ["свободы СМИ", "безопасности журналистов"],
    "migration": ["регулирования миграции", "трудовой миграции"],
    "national-minority-issues": ["прав меньшинств", "обучения на языках меньшинств"],
    "policing": ["работы полиции в общинах", "реформы полиции"],
    "reform-and-co-operation-in-the-security-sector": ["реформы сектора безопасности"],
    "roma-and-sinti": ["интеграции рома и синти"],
    "rule-of-law": ["судебной реформы", "доступа к правосудию"],
    "tolerance-and-non-discrimination": [
        "предотвращения преступлений на почве ненависти",
        "недискриминации",
    ],
    "youth": ["участия молодежи", "вовлечения молодежи"],
}
RU_ANY_TOPIC = ["безопасности и сотрудничества"]
# Who takes part, as (nominative plural, genitive plural).
RU_AUDIENCES = {
    "arms-control": [
        ("сотрудники оборонных ведомств", "сотрудников оборонных ведомств"),
        ("эксперты по боеприпасам", "экспертов по боеприпасам"),
    ],
    "border-management": [("пограничники", "пограничников"), ("таможенники", "таможенников")],
    "combating-trafficking-in-human-beings": [
        ("трудовые инспекторы", "трудовых инспекторов"),
        ("прокуроры", "прокуроров"),
        ("социальные работники", "социальных работников"),
    ],
    "conflict-prevention-and-resolution": [
        ("посредники", "посредников"),
        ("представители местных органов власти", "представителей местных органов власти"),
    ],
    "countering-terrorism": [
        ("сотрудники правоохранительных органов", "сотрудников правоохранительных органов"),
        ("лидеры общин", "лидеров общин"),
    ],
    "cyber-ict-security": [
        ("эксперты по информационной безопасности", "экспертов по информационной безопасности"),
        ("дипломаты", "дипломатов"),
    ],
    "democratization": [
        ("парламентарии", "парламентариев"),
        ("представители гражданского общества", "представителей гражданского общества"),
    ],
    "economic-activities": [
        ("предприниматели", "предпринимателей"),
        ("сотрудники таможни", "сотрудников таможни"),
    ],
    "education": [("учителя", "учителей"), ("студенты", "студентов")],
    "elections": [
        ("члены избирательных комиссий", "членов избирательных комиссий"),
        ("национальные наблюдатели", "национальных наблюдателей"),
    ],
    "environmental-activities": [
        ("муниципальные служащие", "муниципальных служащих"),
        ("экологические активисты", "экологических активистов"),
    ],
    "gender-equality": [
        ("женщины-лидеры", "женщин-лидеров"),
        ("женщины-полицейские", "женщин-полицейских"),
    ],
    "good-governance": [
        ("государственные служащие", "государственных служащих"),
        ("сотрудники антикоррупционных органов", "сотрудников антикоррупционных органов"),
    ],
    "human-rights": [
        ("правозащитники", "правозащитников"),
        ("сотрудники аппарата омбудсмена", "сотрудников аппарата омбудсмена"),
    ],
    "media-freedom-and-development": [
        ("журналисты", "журналистов"),
        ("студенты факультетов журналистики", "студентов факультетов журналистики"),
        ("редакторы", "редакторов"),
    ],
    "migration": [
        ("сотрудники миграционных служб", "сотрудников миграционных служб"),
        ("пограничные полицейские", "пограничных полицейских"),
    ],
    "national-minority-issues": [
        ("представители меньшинств", "представителей меньшинств"),
        ("учителя", "учителей"),
    ],
    "policing": [("сотрудники полиции", "сотрудников полиции"), ("инструкторы", "инструкторов")],
    "reform-and-co-operation-in-the-security-sector": [
        ("сотрудники оборонных ведомств", "сотрудников оборонных ведомств"),
        ("сотрудники аппарата парламента", "сотрудников аппарата парламента"),
    ],
    "roma-and-sinti": [
        ("посредники из числа рома", "посредников из числа рома"),
        ("активисты рома и синти", "активистов рома и синти"),
    ],
    "rule-of-law": [("судьи", "судей"), ("прокуроры", "прокуроров"), ("адвокаты", "адвокатов")],
    "tolerance-and-non-discrimination": [
        ("сотрудники полиции", "сотрудников полиции"),
        ("представители гражданского общества", "представителей гражданского общества"),
    ],
    "youth": [("молодые люди", "молодых людей"), ("молодежные лидеры", "молодежных лидеров")],
}
RU_ANY_AUDIENCE = [("эксперты", "экспертов"), ("должностные лица", "должностных лиц")]
# Partners as (genitive, instrumental).
RU_PARTNERS = {
    "elections": [("Центральной избирательной комиссии", "Центральной избирательной комиссией")],
    "policing": [
        ("Министерства внутренних дел", "Министерством внутренних дел"),
        ("полицейской академии", "полицейской академией"),
    ],
    "rule-of-law": [
        ("Министерства юстиции", "Министерством юстиции"),
        ("учебного центра для судей", "учебным центром для судей"),
    ],
    "human-rights": [("аппарата омбудсмена", "аппаратом омбудсмена")],
    "democratization": [("национального парламента", "национальным парламентом")],
    "education": [("Министерства образования", "Министерством образования")],
}
RU_ANY_PARTNER = [
    ("национальных органов власти", "национальными органами власти"),
    ("организаций гражданского общества", "организациями гражданского общества"),
    ("органов местного самоуправления", "органами местного самоуправления"),
]
# Events, all masculine so that the participles agree: (nominative, prepositional, genitive).
RU_EVENTS = [
    ("семинар", "семинаре", "семинара"),
    ("учебный курс", "учебном курсе", "учебного курса"),
    ("круглый стол", "круглом столе", "круглого стола"),
    ("тренинг", "тренинге", "тренинга"),
    ("практикум", "практикуме", "практикума"),
    ("форум", "форуме", "форума"),
    ("учебный визит", "учебном визите", "учебного визита"),
]
# Elections as (nominative, genitive, prepositional, instrumental).
RU_ELECTIONS = [
    ("парламентские выборы", "парламентских выборов", "парламентских выборах",
     "парламентскими выборами"),
    ("досрочные парламентские выборы", "досрочных парламентских выборов",
     "досрочных парламентских выборах", "досрочными парламентскими выборами"),
    ("президентские выборы", "президентских выборов", "президентских выборах",
     "президентскими выборами"),
    ("местные выборы", "местных выборов", "местных выборах", "местными выборами"),
    ("конституционный референдум", "конституционного референдума",
     "конституционном референдуме", "конституционным референдумом"),
]  # fmt: skip
RU_ASPECTS = [
    "международные стандарты",
    "практические инструменты для повседневной работы",
    "сотрудничество между ведомствами",
    "использование новых технологий",
    "учет гендерных аспектов",
    "потребности местных сообществ",
    "уроки недавних дел",
    "мониторинг и отчетность",
]
RU_MONTHS = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
RU_MONTHS_GENITIVE = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip

RU_TITLES = {
    Type.PRESS_RELEASE: [
        "{src} поддерживает обучение {audience_gen} по вопросам {topic} {place_in}",
        "{src} проводит тренинг для {audience_gen} по вопросам {topic} {place_in}",
        "{src} начинает проект по укреплению {topic} {where_in}",
        "{src} проводит региональную конференцию по вопросам {topic} {place_in}",
        "{src} представляет доклад о положении в области {topic} {where_in}",
        "{src} публикует руководство по вопросам {topic} для {audience_gen}",
        "{src} передает оборудование для поддержки {topic} {where_in}",
        "{Audience} {where_in} обсуждают вопросы {topic} на {event_in} ОБСЕ",
    ],
    Type.NEWS: [
        "{Audience} {place_in} знакомятся с вопросами {topic}",
        "Новый курс по вопросам {topic} для {audience_gen} открывается {place_in}",
        "Десять лет работы {src_gen} в области {topic} {where_in}",
        "Что {audience} вынесли из {event_gen} по вопросам {topic} {place_in}",
    ],
    Type.STATEMENT: [
        "Заявление {src_gen} о положении в области {topic} {where_in}",
        "{src} приветствует прогресс в области {topic} {where_in}",
        "{src} призывает к новым усилиям в области {topic}",
        "{src} призывает власти {where_in} активизировать работу в области {topic}",
    ],
}
# Titles only some structures write, with the general ones for their type.
RU_SOURCE_TITLES = {
    ODIHR: {
        Type.PRESS_RELEASE: [
            "БДИПЧ ОБСЕ открывает миссию по наблюдению за {election_ins} {where_in}",
            "Наблюдатели БДИПЧ представляют предварительные выводы о {election_in} {where_in}",
            "БДИПЧ ОБСЕ публикует итоговый доклад о {election_in} {where_in}",
        ],
    },
    "chairpersonship": {
        Type.PRESS_RELEASE: [
            "Действующий председатель ОБСЕ находится с визитом {where_in} и обсуждает "
            "вопросы {topic}"
        ],
    },
    "secretary-general": {
        Type.PRESS_RELEASE: [
            "Генеральный секретарь ОБСЕ находится с визитом {where_in} и обсуждает вопросы {topic}"
        ],
    },
    "representative-on-freedom-of-the-media": {
        Type.STATEMENT: [
            "Представитель ОБСЕ по вопросам свободы СМИ обеспокоен безопасностью "
            "журналистов {where_in}"
        ],
    },
}
RU_LEADS = {
    Type.PRESS_RELEASE: [
        "{n} {audience_gen} {where_in} приняли участие в {event_in} по вопросам {topic}, "
        "проведенном {place_in} при поддержке {src_gen}.",
        "{Full} сегодня начинает новую инициативу по укреплению {topic} {where_in} "
        "совместно с {partner_ins} и гражданским обществом.",
        "Укреплению {topic} был посвящен {event} для {n} {audience_gen}, состоявшийся "
        "сегодня {place_in} при поддержке {src_gen}.",
        "{Full} представляет результаты своей последней оценки положения в области {topic} "
        "{where_in}: сегодня их обсудили на встрече с представителями {partner_gen} {place_in}.",
        "Сегодня {place_in} состоялась передача оборудования на сумму {amount} евро для "
        "{partner_gen}, предоставленного при поддержке {src_gen} в целях укрепления {topic} "
        "{where_in}.",
    ],
    Type.NEWS: [
        "Для {n} {audience_gen} {where_in} {event}, проведенный на этой неделе при поддержке "
        "{src_gen}, стал первой возможностью обменяться опытом в области {topic}.",
        "{Full} уже много лет поддерживает работу в области {topic} {where_in}. На этой "
        "неделе {n} {audience_gen} собрались {place_in}, чтобы подвести итоги.",
    ],
    Type.STATEMENT: [
        "{Full} сегодня выступает со следующим заявлением:",
        "{Full} приветствует шаги, предпринятые {where_in} в области {topic}, и призывает "
        "все стороны развивать достигнутые результаты.",
    ],
}
RU_QUOTES = [
    "Прогресс в области {topic} зависит от людей, которые каждый день воплощают его в жизнь",
    "Для устойчивых результатов в области {topic} необходимо доверие между институтами и "
    "людьми, которым они служат",
    "Мы рады поддерживать наших партнеров в их усилиях по укреплению {topic}",
    "Без сотрудничества через границы реальный прогресс в области {topic} невозможен",
    "Сегодняшние обсуждения показали, как много могут сделать вместе государственные "
    "институты и гражданское общество",
    "Обязательства в области {topic}, принятые всеми государствами — участниками ОБСЕ, "
    "должны выполняться в полном объеме",
]
RU_MIDDLES = {
    Type.PRESS_RELEASE: [
        "«{quote}», — сказал представитель {src_gen}. «{quote2}».",
        "Участники обсудили {aspect} и обменялись примерами передовой практики из разных "
        "стран региона ОБСЕ. Занятия провели национальные и международные эксперты.",
        "Программа {event_gen} охватывала {aspect}, {aspect2} и роль {audience_gen} в "
        "обеспечении {topic}. Участники разбирали случаи из своей повседневной работы.",
        "{src} поддерживает работу в области {topic} {where_in} с {since} года в тесном "
        "сотрудничестве с {partner_ins} и местными сообществами.",
        "{Event} проводится в рамках проекта «Укрепление {topic} {where_in}», который "
        "финансируют государства — участники ОБСЕ.",
        "Представители {partner_gen} высоко оценили сотрудничество и отметили, что применят "
        "полученные знания в своей работе. Следующая встреча запланирована на {next_month}.",
        "Согласно выводам оценки, прогресс в области {topic} остается неравномерным. В ней "
        "рекомендуется совершенствовать законодательство, улучшать координацию между "
        "ведомствами и регулярно консультироваться с гражданским обществом.",
        "В ходе мероприятия также рассматривались вопросы {topic2} в соответствии с "
        "обязательствами государств — участников ОБСЕ.",
    ],
    Type.STATEMENT: [
        "«{quote}», — говорится в заявлении.",
        "В заявлении подтверждается готовность ОБСЕ содействовать укреплению {topic} и "
        "подчеркивается, что устойчивых результатов можно добиться лишь при полном "
        "выполнении обязательств ОБСЕ.",
        "Все стороны призываются к конструктивному диалогу и к отказу от любых действий, "
        "которые могут усилить напряженность.",
        "«{quote2}», — добавил представитель {src_gen}.",
        "ОБСЕ будет и впредь внимательно следить за развитием событий {where_in} и готова "
        "оказать содействие.",
    ],
}
RU_MIDDLES[Type.NEWS] = RU_MIDDLES[Type.PRESS_RELEASE]
# Paragraphs about an election, in a release on one or in ODIHR's field.
RU_ELECTION_MIDDLES = [
    "Миссия по наблюдению за выборами включает {n} долгосрочных наблюдателей, работающих в "
    "столице и регионах. Еще около {observers} краткосрочных наблюдателей прибудут "
    "незадолго до дня голосования.",
    "По оценке наблюдателей, в ходе {election_gen} основные свободы в целом соблюдались, "
    "однако отдельные процедуры требуют доработки.",
    "Выборы являются одним из ключевых обязательств государств — участников ОБСЕ, и "
    "наблюдатели оценивают, насколько они соответствуют этим обязательствам.",
    "Наблюдатели встретились с представителями избирательной администрации, политических "
    "партий и гражданского общества, чтобы обсудить подготовку к выборам.",
]
RU_CLOSINGS = [
    "{src} сотрудничает с {partner_ins} в целях укрепления {topic} {where_in} в рамках "
    "всеобъемлющего подхода ОБСЕ к безопасности.",
    "Работа ОБСЕ в области {topic} связывает военно-политическое, экономико-экологическое и "
    "человеческое измерения безопасности.",
    "Дополнительная информация о работе ОБСЕ в области {topic} размещена на веб-сайте ОБСЕ.",
    "В ближайшие недели {src} опубликует обзор обсуждений и рекомендации, согласованные "
    "участниками.",
]

# French, German, Spanish, Italian: a few of the organisation's own phrases each, in order
# (the first and last always, those between some of the time); places but the busiest keep
# the reference data's name.
OTHER_TEXT = {
    "fr": {
        "months": "janvier février mars avril mai juin juillet août septembre octobre "
        "novembre décembre",
        "dateline": "{day} {month} {year}",
        "titles": [
            "L’OSCE soutient une formation sur {topic} à {place}",
            "L’OSCE organise une conférence régionale sur {topic} à {place}",
            "L’OSCE publie un rapport sur {topic}",
            "Déclaration de l’OSCE sur {topic}",
        ],
        "paragraphs": [
            "Des représentants des autorités et de la société civile se sont réunis à {place} "
            "pour parler des questions concernant {topic}.",
            "Les participants ont échangé des exemples de bonnes pratiques de toute la région "
            "de l’OSCE.",
            "L’OSCE soutient le travail concernant {topic} dans le cadre de son approche "
            "globale de la sécurité.",
            "De plus amples informations sur les activités de l’OSCE sont disponibles sur son "
            "site web.",
        ],
        "topics": {
            "elections": "les élections",
            "human-rights": "les droits de l’homme",
            "gender-equality": "l’égalité entre les femmes et les hommes",
            "media-freedom-and-development": "la liberté des médias",
            "rule-of-law": "l’état de droit",
            "conflict-prevention-and-resolution": "la prévention des conflits",
            "countering-terrorism": "la lutte contre le terrorisme",
            "border-management": "la gestion des frontières",
            "combating-trafficking-in-human-beings": "la lutte contre la traite des êtres humains",
            "democratization": "la démocratisation",
            "good-governance": "la bonne gouvernance",
            "policing": "les activités de police",
            "tolerance-and-non-discrimination": "la tolérance et la non-discrimination",
        },
        "any_topic": "la sécurité et la coopération",
        "places": {
            "Vienna": "Vienne",
            "Warsaw": "Varsovie",
            "The Hague": "La Haye",
            "Geneva": "Genève",
        },
    },
    "de": {
        "months": "Januar Februar März April Mai Juni Juli August September Oktober November "
        "Dezember",
        "dateline": "{day}. {month} {year}",
        "titles": [
            "OSZE unterstützt Schulung zum Thema {topic} in {place}",
            "OSZE veranstaltet regionale Konferenz zum Thema {topic} in {place}",
            "OSZE veröffentlicht Bericht zum Thema {topic}",
            "Erklärung der OSZE zum Thema {topic}",
        ],
        "paragraphs": [
            "Vertreterinnen und Vertreter der Behörden und der Zivilgesellschaft kamen in "
            "{place} zusammen, um über das Thema {topic} zu beraten.",
            "Die Teilnehmenden tauschten Beispiele guter Praxis aus der gesamten OSZE-Region aus.",
            "Die OSZE unterstützt die Arbeit zum Thema {topic} im Rahmen ihres umfassenden "
            "Sicherheitsansatzes.",
            "Weitere Informationen über die Arbeit der OSZE finden Sie auf ihrer Website.",
        ],
        "topics": {
            "elections": "Wahlen",
            "human-rights": "Menschenrechte",
            "gender-equality": "Gleichstellung der Geschlechter",
            "media-freedom-and-development": "Medienfreiheit",
            "rule-of-law": "Rechtsstaatlichkeit",
            "conflict-prevention-and-resolution": "Konfliktverhütung",
            "countering-terrorism": "Terrorismusbekämpfung",
            "border-management": "Grenzmanagement",
            "combating-trafficking-in-human-beings": "Bekämpfung des Menschenhandels",
            "democratization": "Demokratisierung",
            "good-governance": "gute Regierungsführung",
            "policing": "Polizeiarbeit",
            "tolerance-and-non-discrimination": "Toleranz und Nichtdiskriminierung",
        },
        "any_topic": "Sicherheit und Zusammenarbeit",
        "places": {
            "Vienna": "Wien",
            "Warsaw": "Warschau",
            "The Hague": "Den Haag",
            "Geneva": "Genf",
        },
    },
    "es": {
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
        "noviembre diciembre",
        "dateline": "{day} de {month} de {year}",
        "titles": [
            "La OSCE apoya una formación sobre {topic} en {place}",
            "La OSCE organiza una conferencia regional sobre {topic} en {place}",
            "La OSCE publica un informe sobre {topic}",
            "Declaración de la OSCE sobre {topic}",
        ],
        "paragraphs": [
            "Representantes de las autoridades y de la sociedad civil se reunieron en {place} "
            "para debatir sobre {topic}.",
            "Los participantes intercambiaron ejemplos de buenas prácticas de toda la región "
            "de la OSCE.",
            "La OSCE apoya el trabajo sobre {topic} como parte de su enfoque integral de la "
            "seguridad.",
            "Encontrará más información sobre la labor de la OSCE en su sitio web.",
        ],
        "topics": {
            "elections": "las elecciones",
            "human-rights": "los derechos humanos",
            "gender-equality": "la igualdad de género",
            "media-freedom-and-development": "la libertad de los medios de comunicación",
            "rule-of-law": "el Estado de derecho",
            "conflict-prevention-and-resolution": "la prevención de conflictos",
            "countering-terrorism": "la lucha contra el terrorismo",
            "border-management": "la gestión de fronteras",
            "combating-trafficking-in-human-beings": "la lucha contra la trata de personas",
            "democratization": "la democratización",
            "good-governance": "la buena gobernanza",
            "policing": "la labor policial",
            "tolerance-and-non-discrimination": "la tolerancia y la no discriminación",
        },
        "any_topic": "la seguridad y la cooperación",
        "places": {
            "Vienna": "Viena",
            "Warsaw": "Varsovia",
            "The Hague": "La Haya",
            "Geneva": "Ginebra",
        },
    },
    "it": {
        "months": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
        "novembre dicembre",
        "dateline": "{day} {month} {year}",
        "titles": [
            "L’OSCE sostiene una formazione in materia di {topic} a {place}",
            "L’OSCE organizza una conferenza regionale in materia di {topic} a {place}",
            "L’OSCE pubblica un rapporto in materia di {topic}",
            "Dichiarazione dell’OSCE in materia di {topic}",
        ],
        "paragraphs": [
            "Rappresentanti delle autorità e della società civile si sono riuniti a {place} per "
            "discutere di {topic}.",
            "I partecipanti hanno condiviso esempi di buone pratiche da tutta la regione "
            "dell’OSCE.",
            "L’OSCE sostiene il lavoro in materia di {topic} nell’ambito del suo approccio "
            "globale alla sicurezza.",
            "Ulteriori informazioni sulle attività dell’OSCE sono disponibili sul suo sito web.",
        ],
        "topics": {
            "elections": "elezioni",
            "human-rights": "diritti umani",
            "gender-equality": "parità di genere",
            "media-freedom-and-development": "libertà dei media",
            "rule-of-law": "Stato di diritto",
            "conflict-prevention-and-resolution": "prevenzione dei conflitti",
            "countering-terrorism": "lotta al terrorismo",
            "border-management": "gestione delle frontiere",
            "combating-trafficking-in-human-beings": "lotta alla tratta di esseri umani",
            "democratization": "democratizzazione",
            "good-governance": "buon governo",
            "policing": "attività di polizia",
            "tolerance-and-non-discrimination": "tolleranza e non discriminazione",
        },
        "any_topic": "sicurezza e cooperazione",
        "places": {
            "Vienna": "Vienna",
            "Warsaw": "Varsavia",
            "The Hague": "L’Aia",
            "Geneva": "Ginevra",
        },
    },
}


def translated(items, catalogue, seed, russian=RUSSIAN_SHARE, others=OTHER_SHARE):
    """``items`` (demo releases), each yielded with its translations added: a Russian one
    for a share ``russian`` of them, one or two in French, German, Spanish or Italian for a
    share ``others``. The same ``seed`` gives the same translations."""
    rng = random.Random(f"translations-{seed}")
    for item in items:
        if rng.random() < russian:
            item.translations.append(translation(rng, catalogue, item, "ru"))
        if rng.random() < others:
            languages = rng.sample(OTHER_LANGUAGES, 2 if rng.random() < SECOND_OTHER_SHARE else 1)
            item.translations.extend(translation(rng, catalogue, item, code) for code in languages)
        yield item


def translation(rng, catalogue, item, language):
    """``item``'s translation into ``language``: its own title, body and slug; the group's
    type, place, date and terms."""
    original = item.release
    if language == "ru":
        title, body = russian_text(rng, catalogue, item)
        stem = _slug_stem(title.lower().translate(CYRILLIC))
    else:
        title, body = other_text(rng, item, language)
        stem = _slug_stem(title)
    if original.status == Release.Status.DRAFT or rng.random() < DRAFT_SHARE:
        status, needs_update = Release.Status.DRAFT, False
    else:
        status, needs_update = Release.Status.PUBLISHED, rng.random() < NEEDS_UPDATE_SHARE
    suffix = "".join(rng.choices(_SUFFIX_ALPHABET, k=SLUG_SUFFIX_LENGTH))
    release = Release(
        title=title,
        slug=f"{stem}-{suffix}",
        type=original.type,
        status=status,
        published_at=original.published_at,
        place=original.place,
        body=body,
        language=language,
        translation_of=original,
        needs_update=needs_update,
        import_key=None,
    )
    return DemoRelease(
        release,
        item.sources,
        item.fields_of_work,
        item.countries,
        base_slug=release.slug,
        about=item.about,
    )


def russian_text(rng, catalogue, item):
    """A Russian title and body for ``item``'s facts."""
    release, source = item.release, item.sources[0]
    kind, day = release.type, timezone.localdate(release.published_at)
    src, src_gen = RU_SOURCES.get(source.slug, ("ОБСЕ", "ОБСЕ"))
    fields = [f.slug for f in item.fields_of_work]
    topics = [rng.choice(RU_TOPICS.get(slug, RU_ANY_TOPIC)) for slug in fields]
    audience, audience_gen = rng.choice(RU_AUDIENCES.get(fields[0], RU_ANY_AUDIENCE))
    partner_gen, partner_ins = rng.choice(RU_PARTNERS.get(fields[0], []) + RU_ANY_PARTNER)
    event, event_in, event_gen = rng.choice(RU_EVENTS)
    election = [f"{form} {day.year} года" for form in rng.choice(RU_ELECTIONS)]
    about = item.about
    where = RU_COUNTRIES.get(about.name) if about else RU_REGIONS.get(source.slug)
    place = RU_PLACES.get(release.place.name)
    where_in = where[1] if where else RU_NOWHERE
    words = {
        "src": src,
        "src_gen": src_gen,
        "Full": RU_FULL_NAMES.get(source.slug, src),
        "topic": topics[0],
        "topic2": topics[-1] if len(topics) > 1 else rng.choice(RU_ANY_TOPIC),
        "audience": audience,
        "Audience": _capital_first(audience),
        "audience_gen": audience_gen,
        "partner_gen": partner_gen,
        "partner_ins": partner_ins,
        "event": event,
        "Event": _capital_first(event),
        "event_in": event_in,
        "event_gen": event_gen,
        "election_gen": election[1],
        "election_in": election[2],
        "election_ins": election[3],
        "where_in": where_in,
        "place_in": place[1] if place else where_in,
        # Numbers ending in 0 or 5: the noun after them is a genitive plural, whatever
        # the number.
        "n": rng.randrange(15, 80, 5),
        "observers": rng.randrange(100, 400, 50),
        "amount": f"{rng.randrange(5, 400) * 1000:,}".replace(",", " "),
        "aspect": rng.choice(RU_ASPECTS),
        "aspect2": rng.choice(RU_ASPECTS),
        "since": max(1995, day.year - rng.randint(2, 15)),
        "next_month": RU_MONTHS[(day.month + rng.randint(0, 3)) % 12],
    }
    words["quote"], words["quote2"] = (q.format(**words) for q in rng.sample(RU_QUOTES, 2))

    participating = about is not None and about.pk in catalogue.participating
    templates = RU_TITLES[kind] + RU_SOURCE_TITLES.get(source.slug, {}).get(kind, []) * 3
    if not (where and (participating or about is None)):
        templates = [t for t in templates if "{election" not in t and "с визитом" not in t]
    title = _capital_first(rng.choice(templates).format(**words))

    middles = rng.sample(RU_MIDDLES[kind], rng.randint(1, 4))
    if kind != Type.STATEMENT and ("elections" in fields or source.slug == ODIHR):
        middles[rng.randrange(len(middles)) :] = rng.sample(RU_ELECTION_MIDDLES, 2)
    paragraphs = [
        rng.choice(RU_LEADS[kind]).format(**words),
        *(text.format(**words) for text in middles),
        rng.choice(RU_CLOSINGS).format(**words),
    ]
    town = (place[0] if place else release.place.name).upper()
    dateline = f"{town}, {day.day} {RU_MONTHS_GENITIVE[day.month - 1]} {day.year} г. — "
    return title, _paragraphs([dateline + paragraphs[0], *paragraphs[1:]])


def other_text(rng, item, language):
    """A short title and body in ``language`` (French, German, Spanish or Italian)."""
    text = OTHER_TEXT[language]
    release = item.release
    day = timezone.localdate(release.published_at)
    words = {
        "topic": text["topics"].get(item.fields_of_work[0].slug, text["any_topic"]),
        "place": text["places"].get(release.place.name, release.place.name),
    }
    title = rng.choice(text["titles"]).format(**words)
    month = text["months"].split()[day.month - 1]
    dateline = text["dateline"].format(day=day.day, month=month, year=day.year)
    first, *between, last = text["paragraphs"]
    kept = [p for p in between if rng.random() < 0.6]
    paragraphs = [p.format(**words) for p in (first, *kept, last)]
    return title, _paragraphs(
        [f"{words['place'].upper()}, {dateline} – {paragraphs[0]}", *paragraphs[1:]]
    )


def _paragraphs(texts):
    return "\n".join(f"<p>{html.escape(text)}</p>" for text in texts)
