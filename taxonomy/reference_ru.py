"""The reference data's names in Russian, as the organisation's own Russian pages write them.

Each name in :mod:`taxonomy.reference` and :mod:`institutions.reference` (fields of work,
meetings, country groups, capitals and host cities, structures, and the menu's headings and
plain links), keyed by its English reference name, is in :data:`NAMES`.

Countries are the exception: a country's Russian name falls back to CLDR's (through Babel),
which is right for most of them, so :data:`COUNTRY_NAMES` lists only the participating
States whose name in the organisation's usage differs from CLDR's. CLDR writes the short
everyday name ("Киргизия", "Россия", "Великобритания", "Ватикан", "Чехия"); the
organisation writes the name each State uses for itself in its documents ("Кыргызстан",
"Российская Федерация", "Соединенное Королевство", "Святейший Престол", "Чешская
Республика"), and, since 2022, "Тюркийе" where older pages wrote "Турция". An entry here
that came to agree with CLDR is stale, and ``tests/taxonomy/test_reference_ru.py`` says so.

The field operations are named with "ОБСЕ" as their own pages are ("Программный офис ОБСЕ
в Бишкеке"), where the English reference leaves the prefix out: the importer's matching
ignores a leading "OSCE" in English, but in Russian the word sits inside the name.
"""

NAMES = {
    # Fields of work
    "Arms control": "Контроль над вооружениями",
    "Border management": "Управление границами",
    "Combating trafficking in human beings": "Борьба с торговлей людьми",
    "Conflict prevention and resolution": "Предотвращение и урегулирование конфликтов",
    "Countering terrorism": "Борьба с терроризмом",
    "Cyber/ICT Security": "Кибербезопасность/безопасность ИКТ",
    "Democratization": "Демократизация",
    "Economic activities": "Экономическая деятельность",
    "Education": "Образование",
    "Elections": "Выборы",
    "Environmental activities": "Экологическая деятельность",
    "Gender equality": "Гендерное равенство",
    "Good governance": "Благое управление",
    "Human rights": "Права человека",
    "Media freedom and development": "Свобода и развитие СМИ",
    "Migration": "Миграция",
    "National minority issues": "Вопросы национальных меньшинств",
    "Policing": "Полицейская деятельность",
    "Reform and co-operation in the security sector": (
        "Реформа и сотрудничество в секторе безопасности"
    ),
    "Roma and Sinti": "Рома и синти",
    "Rule of law": "Верховенство права",
    "Tolerance and non-discrimination": "Толерантность и недискриминация",
    "Youth": "Молодежь",
    # Meetings
    "Summit meetings": "Встречи на высшем уровне",
    "Review Conferences": "Обзорные конференции",
    "Ministerial Council meetings": "Заседания Совета министров",
    "Plenary meetings of the Permanent Council": "Пленарные заседания Постоянного совета",
    "Plenary Meetings of the Forum for Security Co-operation": (
        "Пленарные заседания Форума по сотрудничеству в области безопасности"
    ),
    "Security Review Conferences": "Конференции по обзору проблем в области безопасности",
    "Annual Implementation Assessment Meetings": "Ежегодные совещания по оценке выполнения",
    "Economic and Environmental Forum": "Экономический и экологический форум",
    "Economic and Environmental Dimension Implementation Meetings": (
        "Совещания по рассмотрению выполнения обязательств в экономико-экологическом измерении"
    ),
    "Human rights meetings": "Совещания по правам человека",
    "Media conferences": "Конференции по СМИ",
    "Cyber/ICT security conferences": "Конференции по кибербезопасности/безопасности ИКТ",
    "Conference of the Alliance against Trafficking in Persons": (
        "Конференция Альянса против торговли людьми"
    ),
    "Gender Equality Review Conferences": "Обзорные конференции по гендерному равенству",
    "Annual OSCE Mediterranean conferences": "Ежегодные Средиземноморские конференции ОБСЕ",
    "Annual OSCE Asian conferences": "Ежегодные Азиатские конференции ОБСЕ",
    # Country groups
    "Participating States": "Государства-участники",
    "Asian Partners for Co-operation": "Азиатские партнеры по сотрудничеству",
    "Mediterranean Partners for Co-operation": "Средиземноморские партнеры по сотрудничеству",
    # Capitals: participating States
    "Tirana": "Тирана",
    "Andorra la Vella": "Андорра-ла-Велья",
    "Yerevan": "Ереван",
    "Vienna": "Вена",
    "Baku": "Баку",
    "Brussels": "Брюссель",
    "Minsk": "Минск",
    "Sarajevo": "Сараево",
    "Sofia": "София",
    "Ottawa": "Оттава",
    "Zagreb": "Загреб",
    "Nicosia": "Никосия",
    "Prague": "Прага",
    "Copenhagen": "Копенгаген",
    "Tallinn": "Таллин",
    "Helsinki": "Хельсинки",
    "Paris": "Париж",
    "Tbilisi": "Тбилиси",
    "Berlin": "Берлин",
    "Athens": "Афины",
    "Vatican City": "Ватикан",
    "Budapest": "Будапешт",
    "Reykjavik": "Рейкьявик",
    "Dublin": "Дублин",
    "Rome": "Рим",
    "Astana": "Астана",
    "Bishkek": "Бишкек",
    "Riga": "Рига",
    "Vaduz": "Вадуц",
    "Vilnius": "Вильнюс",
    "Luxembourg": "Люксембург",
    "Valletta": "Валлетта",
    "Chisinau": "Кишинев",
    "Monaco": "Монако",
    "Ulaanbaatar": "Улан-Батор",
    "Podgorica": "Подгорица",
    "Amsterdam": "Амстердам",
    "Skopje": "Скопье",
    "Oslo": "Осло",
    "Warsaw": "Варшава",
    "Lisbon": "Лиссабон",
    "Bucharest": "Бухарест",
    "Moscow": "Москва",
    "San Marino": "Сан-Марино",
    "Belgrade": "Белград",
    "Bratislava": "Братислава",
    "Ljubljana": "Любляна",
    "Madrid": "Мадрид",
    "Stockholm": "Стокгольм",
    "Bern": "Берн",
    "Dushanbe": "Душанбе",
    "Ankara": "Анкара",
    "Ashgabat": "Ашхабад",
    "Kyiv": "Киев",
    "London": "Лондон",
    "Washington, D.C.": "Вашингтон",
    "Tashkent": "Ташкент",
    # Capitals: partners for co-operation
    "Kabul": "Кабул",
    "Canberra": "Канберра",
    "Tokyo": "Токио",
    "Seoul": "Сеул",
    "Bangkok": "Бангкок",
    "Algiers": "Алжир",
    "Cairo": "Каир",
    "Jerusalem": "Иерусалим",
    "Amman": "Амман",
    "Rabat": "Рабат",
    "Tunis": "Тунис",
    # Host cities
    "The Hague": "Гаага",
    "Geneva": "Женева",
    "Pristina": "Приштина",
    # Structures
    "Chairpersonship": "Председательство",
    "Secretariat": "Секретариат",
    "Secretary General": "Генеральный секретарь",
    "Office of the Secretary General": "Канцелярия Генерального секретаря",
    "Conflict Prevention Centre": "Центр по предотвращению конфликтов",
    "Transnational Threats Department": "Департамент по транснациональным угрозам",
    "Office of the Special Representative and Co-ordinator for Combating Trafficking in "
    "Human Beings": ("Бюро Специального представителя и координатора по борьбе с торговлей людьми"),
    "Office of the Co-ordinator of OSCE Economic and Environmental Activities": (
        "Бюро Координатора экономической и экологической деятельности ОБСЕ"
    ),
    "Gender Issues Programme": "Программа по гендерным вопросам",
    "Opportunities for Youth": "Возможности для молодежи",
    "Department of Human Resources": "Департамент людских ресурсов",
    "Department of Management and Finance": "Департамент управления и финансов",
    "Office of Internal Oversight": "Бюро внутреннего надзора",
    "Documentation Centre in Prague": "Центр документации в Праге",
    "Institutions": "Институты",
    "Office for Democratic Institutions and Human Rights": (
        "Бюро по демократическим институтам и правам человека"
    ),
    "High Commissioner on National Minorities": (
        "Верховный комиссар по делам национальных меньшинств"
    ),
    "Representative on Freedom of the Media": "Представитель по вопросам свободы СМИ",
    "Field operations": "Полевые операции",
    "Presence in Albania": "Присутствие ОБСЕ в Албании",
    "Centre in Ashgabat": "Центр ОБСЕ в Ашхабаде",
    "Programme Office in Astana": "Программный офис ОБСЕ в Астане",
    "Programme Office in Bishkek": "Программный офис ОБСЕ в Бишкеке",
    "Mission to Bosnia and Herzegovina": "Миссия ОБСЕ в Боснии и Герцеговине",
    "Programme Office in Dushanbe": "Программный офис ОБСЕ в Душанбе",
    "Mission in Kosovo": "Миссия ОБСЕ в Косово",
    "Mission to Moldova": "Миссия ОБСЕ в Молдове",
    "Mission to Montenegro": "Миссия ОБСЕ в Черногории",
    "Mission to Serbia": "Миссия ОБСЕ в Сербии",
    "Mission to Skopje": "Миссия ОБСЕ в Скопье",
    "Project Co-ordinator in Uzbekistan": "Координатор проектов ОБСЕ в Узбекистане",
    "Closed field activities": "Завершенная деятельность на местах",
    "Parliamentary Assembly": "Парламентская ассамблея",
    "Court of Conciliation and Arbitration": "Суд по примирению и арбитражу",
    # The menu's headings and plain links
    "Our work": "Наша работа",
    "Fields of work": "Направления деятельности",
    "Projects": "Проекты",
    "Meetings and conferences": "Встречи и конференции",
    "Partnerships": "Партнерства",
    "Countries": "Страны",
    "All": "Все",
    "Structures and institutions": "Структуры и институты",
    "Organizational structure": "Организационная структура",
    "About us": "О нас",
}

# Participating States whose name in the organisation's Russian differs from CLDR's.
COUNTRY_NAMES = {
    "CZ": "Чешская Республика",
    "KG": "Кыргызстан",
    "RU": "Российская Федерация",
    "TR": "Тюркийе",
    "GB": "Соединенное Королевство",
    "US": "Соединенные Штаты Америки",
    "VA": "Святейший Престол",
}
