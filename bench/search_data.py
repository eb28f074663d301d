"""Synthetic directory services for the search benchmark: names, descriptions and eligibility
built from Japanese welfare vocabulary, seeded so every run builds the same data.

The mix is meant to look like a large city's directory: many services on a few common needs
(介護, 子育て, 障害, 相談 …), a long tail of place and provider names, a few rare words
(点字, ヤングケアラー, ペット) and an English translation for about one service in ten.
Word shares were checked against the 162 demo services (data/kamakura/directory): 相談 is in
56% of the synthetic services and 46% of the demo's, 介護 in 16% and 17%, 子育て 11% and 13%.

QUERIES is the fixed query mix the benchmark times.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

# (text, kana) — the kana lets name_kana (the directory's sort key) be built with the name.
AREAS = [
    ("鎌倉", "かまくら"),
    ("腰越", "こしごえ"),
    ("深沢", "ふかさわ"),
    ("大船", "おおふな"),
    ("玉縄", "たまなわ"),
    ("由比ガ浜", "ゆいがはま"),
    ("材木座", "ざいもくざ"),
    ("七里ガ浜", "しちりがはま"),
    ("今泉", "いまいずみ"),
    ("岩瀬", "いわせ"),
    ("梶原", "かじわら"),
    ("手広", "てびろ"),
    ("山崎", "やまさき"),
    ("常盤", "ときわ"),
    ("笛田", "ふえだ"),
    ("西鎌倉", "にしかまくら"),
    ("津西", "つにし"),
    ("二階堂", "にかいどう"),
    ("台", "だい"),
    ("植木", "うえき"),
]
NICKNAMES = [
    ("さくら", "さくら"),
    ("ひまわり", "ひまわり"),
    ("あおぞら", "あおぞら"),
    ("なごみ", "なごみ"),
    ("ほっと", "ほっと"),
    ("つばさ", "つばさ"),
    ("わかば", "わかば"),
    ("こもれび", "こもれび"),
    ("みらい", "みらい"),
    ("たんぽぽ", "たんぽぽ"),
    ("かもめ", "かもめ"),
    ("しおさい", "しおさい"),
    ("やまゆり", "やまゆり"),
    ("若竹", "わかたけ"),
    ("松風", "まつかぜ"),
    ("青葉", "あおば"),
    ("陽だまり", "ひだまり"),
    ("ふれあい", "ふれあい"),
    ("結", "ゆい"),
    ("絆", "きずな"),
    ("虹", "にじ"),
    ("湘南", "しょうなん"),
    ("若宮", "わかみや"),
    ("円", "まどか"),
]
PLACES = [
    "福祉センター",
    "地域活動センター",
    "学習センター",
    "公民館",
    "市役所本庁舎",
    "大船支所",
    "腰越支所",
    "深沢支所",
    "玉縄支所",
    "子育て支援センター",
    "集会所",
    "商店街の空き店舗",
    "コミュニティセンター",
]
DAYS = ["月", "火", "水", "木", "金", "土"]
TIMES = [
    "午前10時から正午まで",
    "午後1時から3時まで",
    "午前9時から午後5時まで",
    "夕方5時から7時まで",
]

ORGANIZATION_PATTERNS = [
    ("社会福祉法人{nick}会", "しゃかいふくしほうじん{nick_kana}かい"),
    ("NPO法人{area}{nick}ネット", "えぬぴーおーほうじん{area_kana}{nick_kana}ねっと"),
    ("{area}地域包括支援センター", "{area_kana}ちいきほうかつしえんせんたー"),
    ("{area}地区社会福祉協議会", "{area_kana}ちくしゃかいふくしきょうぎかい"),
    ("一般社団法人{nick}", "いっぱんしゃだんほうじん{nick_kana}"),
    ("{area}子育て支援センター{nick}", "{area_kana}こそだてしえんせんたー{nick_kana}"),
    ("株式会社{nick}ケア", "かぶしきがいしゃ{nick_kana}けあ"),
    ("{area}{nick}ボランティアの会", "{area_kana}{nick_kana}ぼらんてぃあのかい"),
    ("{nick}クリニック", "{nick_kana}くりにっく"),
    ("{area}障害者相談支援事業所", "{area_kana}しょうがいしゃそうだんしえんじぎょうしょ"),
    ("鎌倉市{division}", "かまくらし{division_kana}"),
    ("{area}自治会", "{area_kana}じちかい"),
    ("Shonan {nick_en} Network", "しょうなん{nick_kana}ねっとわーく"),
]
DIVISIONS = [
    ("高齢者いきいき課", "こうれいしゃいきいきか"),
    ("障害福祉課", "しょうがいふくしか"),
    ("こども相談課", "こどもそうだんか"),
    ("生活福祉課", "せいかつふくしか"),
    ("地域共生課", "ちいききょうせいか"),
    ("市民相談課", "しみんそうだんか"),
    ("保育課", "ほいくか"),
    ("市民健康課", "しみんけんこうか"),
]
NICK_EN = ["Sakura", "Himawari", "Aozora", "Harbor", "Bridge", "Hope", "Wave", "Green"]


@dataclass(frozen=True)
class Theme:
    """One need, with the words services for it are written in."""

    key: str
    weight: int
    names: list[tuple[str, str]]
    sentences: list[str]
    eligibility: list[str]
    target_groups: list[str]  # TargetGroup codes
    taxonomy: list[str]  # TaxonomyTerm code prefixes
    english: list[tuple[str, str]] = field(default_factory=list)  # (name, description)


THEMES = [
    Theme(
        "care",
        14,
        [
            ("介護相談", "かいごそうだん"),
            ("介護予防教室", "かいごよぼうきょうしつ"),
            ("デイサービス", "でいさーびす"),
            ("訪問介護", "ほうもんかいご"),
            ("ショートステイ", "しょーとすてい"),
            ("介護者のつどい", "かいごしゃのつどい"),
            ("配食サービス", "はいしょくさーびす"),
            ("高齢者見守り", "こうれいしゃみまもり"),
            ("いきいき健康体操", "いきいきけんこうたいそう"),
            ("介護保険の申請窓口", "かいごほけんのしんせいまどぐち"),
        ],
        [
            "介護保険サービスの利用を案内します。",
            "要介護認定の申請を手伝います。",
            "家族の介護の悩みを聞き、必要な支援につなぎます。",
            "ひとり暮らしの高齢者を定期的に訪問し、安否を確認します。",
            "転倒予防や筋力づくりの体操を行います。",
            "自宅で入浴や食事の介助を行います。",
            "ケアマネジャーが一人ひとりに合った介護計画をつくります。",
            "介護をしている家族どうしで気持ちを分かち合う場です。",
        ],
        ["市内在住の65歳以上の方", "要支援・要介護認定を受けた方", "高齢者を介護している家族"],
        ["elderly", "carers"],
        [
            "elderly.care-insurance",
            "elderly.care-prevention",
            "elderly.family-carers",
            "elderly.living-alone",
        ],
        [
            (
                "Long-term care consultation",
                "Advice on long-term care insurance services and support for family carers.",
            ),
            ("Day care for older people", "Day care with meals, bathing and exercise."),
        ],
    ),
    Theme(
        "dementia",
        6,
        [
            ("認知症カフェ", "にんちしょうかふぇ"),
            ("認知症相談", "にんちしょうそうだん"),
            ("もの忘れ相談", "ものわすれそうだん"),
            ("認知症サポーター養成講座", "にんちしょうさぽーたーようせいこうざ"),
            ("徘徊SOSネットワーク", "はいかいえすおーえすねっとわーく"),
        ],
        [
            "認知症の本人や家族が気軽に集まり、お茶を飲みながら話せる場です。",
            "もの忘れが気になる方の相談に専門職が応じます。",
            "認知症の人を地域で見守るサポーターを養成します。",
            "行方不明になったときに早く見つけるための事前登録を受け付けます。",
            "若年性認知症の方と家族の交流会を開きます。",
        ],
        ["認知症の方とその家族", "もの忘れが気になる方", "認知症に関心のある方どなたでも"],
        ["elderly", "carers"],
        ["elderly.dementia", "disaster.missing-persons"],
        [
            (
                "Dementia cafe",
                "A relaxed place for people living with dementia and their families to meet and talk.",
            )
        ],
    ),
    Theme(
        "children",
        14,
        [
            ("子育て相談", "こそだてそうだん"),
            ("子育て支援センター", "こそだてしえんせんたー"),
            ("子育てサロン", "こそだてさろん"),
            ("一時預かり", "いちじあずかり"),
            ("ファミリー・サポート・センター", "ふぁみりーさぽーとせんたー"),
            ("乳幼児健診", "にゅうようじけんしん"),
            ("育児教室", "いくじきょうしつ"),
            ("親子ひろば", "おやこひろば"),
            ("産後ケア", "さんごけあ"),
            ("子ども家庭相談", "こどもかていそうだん"),
        ],
        [
            "子育ての不安や悩みを保健師や保育士に相談できます。",
            "乳幼児と保護者が自由に遊び、交流できるひろばです。",
            "保護者の急な用事や通院のときに子どもを一時的に預かります。",
            "子育ての手助けをしてほしい人と手伝いたい人をつなぐ会員制の活動です。",
            "出産後の母親の体と心のケアを行います。",
            "離乳食や歯みがきなど育児の基本を学べます。",
            "子どもの発達や言葉の遅れについて相談できます。",
        ],
        [
            "市内在住の未就学児とその保護者",
            "妊娠中の方と0歳から3歳の子どもの親",
            "小学生までの子どもがいる家庭",
        ],
        ["children", "pregnancy"],
        ["children"],
        [
            (
                "Childcare support centre",
                "A drop-in space where parents and young children can play and get advice on child care.",
            )
        ],
    ),
    Theme(
        "disability",
        12,
        [
            ("障害者相談支援", "しょうがいしゃそうだんしえん"),
            ("就労継続支援B型", "しゅうろうけいぞくしえんびーがた"),
            ("放課後等デイサービス", "ほうかごとうでいさーびす"),
            ("手話通訳者の派遣", "しゅわつうやくしゃのはけん"),
            ("移動支援", "いどうしえん"),
            ("グループホーム", "ぐるーぷほーむ"),
            ("障害者手帳の申請", "しょうがいしゃてちょうのしんせい"),
            ("日中一時支援", "にっちゅういちじしえん"),
        ],
        [
            "障害のある方の暮らしや福祉サービスの利用について相談できます。",
            "身体障害者手帳や療育手帳の申請を受け付けます。",
            "聴覚障害のある方のために手話通訳者や要約筆記者を派遣します。",
            "障害のある子どもが放課後に安心して過ごせる場所です。",
            "一般企業で働くことが難しい方が、作業を通じて働く力をつけます。",
            "外出が難しい方の買い物や通院に付き添います。",
        ],
        ["障害者手帳をお持ちの方", "障害のある18歳以上の方", "発達に心配のある子どもと家族"],
        ["disability"],
        ["disability"],
        [
            (
                "Disability support consultation",
                "Advice for people with disabilities on welfare services and disability certificates.",
            )
        ],
    ),
    Theme(
        "food",
        7,
        [
            ("フードバンク", "ふーどばんく"),
            ("子ども食堂", "こどもしょくどう"),
            ("フードパントリー", "ふーどぱんとりー"),
            ("地域食堂", "ちいきしょくどう"),
            ("食料品の無料配布", "しょくりょうひんのむりょうはいふ"),
        ],
        [
            "家庭で余っている食品を寄付として受け付け、必要な世帯に届けます。",
            "子どもがひとりでも安心して来られる食堂です。大人も利用できます。",
            "生活に困っている世帯に食料品を無料で配ります。",
            "栄養バランスのとれた温かい食事を提供します。",
        ],
        ["食料の支援が必要な世帯", "子どもと地域の方どなたでも", "生活に困っている方"],
        ["low_income", "children", "everyone"],
        ["food"],
        [
            (
                "Food bank",
                "Free food parcels for households in need. Donations of food are welcome.",
            ),
            ("Community dining for children", "Free or low-cost meals for children and families."),
        ],
    ),
    Theme(
        "work",
        8,
        [
            ("就労相談", "しゅうろうそうだん"),
            ("就労支援", "しゅうろうしえん"),
            ("若者サポートステーション", "わかものさぽーとすてーしょん"),
            ("シルバー人材センター", "しるばーじんざいせんたー"),
            ("就労準備支援", "しゅうろうじゅんびしえん"),
        ],
        [
            "仕事探しや履歴書の書き方、面接の練習を手伝います。",
            "長く働いていない方が生活リズムを整え、働く準備をします。",
            "高齢者に地域の短期的な仕事を紹介します。",
            "ハローワークと連携して求人を紹介します。",
        ],
        [
            "働きたいと考えている15歳から49歳の方",
            "60歳以上で働く意欲のある方",
            "就労に不安のある方",
        ],
        ["youth", "low_income"],
        ["work"],
        [("Employment support", "Help with job search, CVs and interview practice.")],
    ),
    Theme(
        "foreign",
        6,
        [
            ("外国人相談窓口", "がいこくじんそうだんまどぐち"),
            ("日本語教室", "にほんごきょうしつ"),
            ("多言語相談", "たげんごそうだん"),
            ("通訳ボランティアの派遣", "つうやくぼらんてぃあのはけん"),
            ("やさしい日本語の生活ガイド", "やさしいにほんごのせいかつがいど"),
        ],
        [
            "外国人住民の生活の相談に、英語・中国語・ベトナム語などで応じます。",
            "ボランティアが日本語を教える教室です。初めての方も参加できます。",
            "役所の手続きや子どもの学校のことを通訳付きで相談できます。",
            "やさしい日本語で生活情報をお知らせします。",
        ],
        ["市内に住む外国人とその家族", "日本語を学びたい外国籍の方"],
        ["foreign_residents"],
        ["foreign"],
        [
            (
                "Japanese language class",
                "Volunteers teach Japanese to foreign residents. Beginners welcome.",
            ),
            (
                "Multilingual consultation for foreign residents",
                "Advice in English, Chinese and Vietnamese on daily life, procedures and schooling.",
            ),
        ],
    ),
    Theme(
        "withdrawal",
        6,
        [
            ("ひきこもり相談", "ひきこもりそうだん"),
            ("居場所づくり", "いばしょづくり"),
            ("こころの相談", "こころのそうだん"),
            ("不登校の親の会", "ふとうこうのおやのかい"),
            ("いのちの電話相談", "いのちのでんわそうだん"),
            ("家族教室", "かぞくきょうしつ"),
        ],
        [
            "ひきこもりの状態にある本人や家族の相談に応じます。",
            "家から出にくい方が安心して過ごせる居場所を開いています。",
            "不安や眠れないなど、こころの悩みを専門の相談員が聞きます。",
            "学校に行けない子どもの保護者が悩みを話し合う会です。",
            "8050問題など、長期化したひきこもりの家族を支えます。",
        ],
        ["ひきこもりの方とその家族", "不登校の子どもの保護者", "こころの悩みを抱える方"],
        ["hikikomori", "youth"],
        ["mental", "learning.school-non-attendance"],
        [
            (
                "Hikikomori support",
                "Consultation and a safe place for people in social withdrawal and their families.",
            )
        ],
    ),
    Theme(
        "hardship",
        8,
        [
            ("生活困窮者自立相談", "せいかつこんきゅうしゃじりつそうだん"),
            ("家計改善支援", "かけいかいぜんしえん"),
            ("住居確保給付金", "じゅうきょかくほきゅうふきん"),
            ("生活福祉資金の貸付", "せいかつふくししきんのかしつけ"),
            ("生活保護の相談", "せいかつほごのそうだん"),
            ("債務整理の相談", "さいむせいりのそうだん"),
        ],
        [
            "生活や仕事、お金の困りごとを一緒に整理し、解決策を考えます。",
            "家計の状況を見える化し、やりくりの改善を支援します。",
            "離職などで家賃が払えない方に家賃相当額を支給します。",
            "一時的に生活費が足りない世帯に資金を貸し付けます。",
        ],
        ["生活に困っている市内在住の方", "離職や収入減少で住まいを失うおそれのある方"],
        ["low_income"],
        ["living", "housing.benefit"],
        [
            (
                "Self-reliance support for people in financial hardship",
                "Help with money, debt, housing and work problems.",
            )
        ],
    ),
    Theme(
        "violence",
        4,
        [
            ("DV相談", "でぃーぶいそうだん"),
            ("女性相談", "じょせいそうだん"),
            ("児童虐待の相談", "じどうぎゃくたいのそうだん"),
            ("成年後見相談", "せいねんこうけんそうだん"),
            ("人権相談", "じんけんそうだん"),
        ],
        [
            "配偶者やパートナーからの暴力に悩む方の相談に応じます。秘密は守られます。",
            "緊急時には安全な避難先を案内します。",
            "虐待が疑われるときは、ためらわずに連絡してください。",
            "判断能力が不十分な方の財産管理や契約を支える成年後見制度について相談できます。",
        ],
        ["配偶者からの暴力に悩む方", "女性", "判断能力に不安のある方とその家族"],
        ["women", "crime_victims"],
        ["rights"],
        [
            (
                "Domestic violence helpline",
                "Confidential advice for anyone experiencing domestic violence.",
            )
        ],
    ),
    Theme(
        "community",
        8,
        [
            ("ボランティアセンター", "ぼらんてぃあせんたー"),
            ("ふれあいサロン", "ふれあいさろん"),
            ("老人クラブ", "ろうじんくらぶ"),
            ("見守り活動", "みまもりかつどう"),
            ("ふれあい食事会", "ふれあいしょくじかい"),
            ("子育てサークル", "こそだてさーくる"),
        ],
        [
            "ボランティアをしたい人と必要としている人をつなぎます。",
            "地域の住民が集まり、お茶を飲みながら交流するサロンです。",
            "近所の一人暮らしの方を日ごろから見守ります。",
            "社会福祉協議会が地域の福祉活動を応援します。",
        ],
        ["どなたでも", "地域の住民", "ボランティアに関心のある方"],
        ["everyone", "elderly"],
        ["community"],
        [("Volunteer centre", "Matching people who want to volunteer with people who need help.")],
    ),
    Theme(
        "families",
        4,
        [
            ("ひとり親家庭相談", "ひとりおやかていそうだん"),
            ("児童扶養手当", "じどうふようてあて"),
            ("学習支援教室", "がくしゅうしえんきょうしつ"),
            ("放課後の居場所", "ほうかごのいばしょ"),
        ],
        [
            "ひとり親家庭の生活や仕事、手当について案内します。",
            "経済的に苦しい家庭の中学生に無料で勉強を教えます。",
            "放課後に子どもが安心して過ごせる場所を開いています。",
        ],
        ["ひとり親家庭", "中学生と高校生", "小学生と保護者"],
        ["single_parents", "children"],
        ["children.single-parents", "learning.study-support"],
        [
            (
                "Study support for children",
                "Free tutoring for junior high school students from low-income families.",
            )
        ],
    ),
    Theme(
        "health",
        5,
        [
            ("健康相談", "けんこうそうだん"),
            ("在宅医療相談", "ざいたくいりょうそうだん"),
            ("訪問看護", "ほうもんかんご"),
            ("依存症相談", "いぞんしょうそうだん"),
            ("難病相談", "なんびょうそうだん"),
        ],
        [
            "保健師や栄養士が健康や食事について相談に応じます。",
            "通院が難しい方のために在宅での医療や看護を調整します。",
            "アルコールやギャンブルの問題に悩む本人と家族を支えます。",
            "難病の方の療養生活の相談や患者会の紹介を行います。",
        ],
        ["市内在住の方", "在宅で療養している方と家族", "難病の方"],
        ["everyone", "elderly"],
        ["health"],
        [("Health consultation", "Nurses and dietitians give advice on health and diet.")],
    ),
    Theme(
        "disaster",
        3,
        [
            ("避難行動要支援者名簿の登録", "ひなんこうどうようしえんしゃめいぼのとうろく"),
            ("緊急通報システム", "きんきゅうつうほうしすてむ"),
            ("防災訓練", "ぼうさいくんれん"),
            ("災害ボランティアセンター", "さいがいぼらんてぃあせんたー"),
        ],
        [
            "災害のときに避難の手助けが必要な方の名簿への登録を受け付けます。",
            "急病のときにボタンひとつで通報できる装置を貸し出します。",
            "地域の住民と一緒に避難の訓練を行います。",
        ],
        ["避難に支援が必要な方", "ひとり暮らしの高齢者", "地域の住民"],
        ["elderly", "disability", "everyone"],
        ["disaster"],
        [("Emergency call system", "A call button for older people living alone.")],
    ),
    Theme(
        "housing",
        3,
        [
            ("住まい探し相談", "すまいさがしそうだん"),
            ("住宅改修の助成", "じゅうたくかいしゅうのじょせい"),
            ("市営住宅の案内", "しえいじゅうたくのあんない"),
        ],
        [
            "高齢や障害を理由に部屋を借りにくい方の住まい探しを手伝います。",
            "手すりの取り付けや段差の解消にかかる費用を助成します。",
            "市営住宅の募集や申し込みについて案内します。",
        ],
        ["住まいに困っている方", "要介護認定を受けた方"],
        ["elderly", "disability", "low_income"],
        ["housing"],
        [("Help finding housing", "Help for people who find it hard to rent a home.")],
    ),
]

PRACTICAL = [
    "毎週{day}曜日の{time}に{place}で開いています。",
    "利用料は無料です。",
    "参加費は1回{fee}円です。",
    "事前に電話で予約してください。",
    "{area}地域を中心に活動しています。",
    "駐車場はありません。公共交通機関をご利用ください。",
    "利用は無料で、秘密は守られます。",
    "オンラインやLINEでも受け付けます。",
    "車いすのまま利用できます。",
    "社会福祉協議会と連携して行っています。",
    "専門の職員が対応します。",
    "地域の民生委員と連携しています。",
]
# Words few services contain, with the share of services that contain them.
RARE = [
    ("ペットの世話が難しくなった高齢者の相談にも応じます。", 0.002),
    ("点字版のパンフレットを用意しています。", 0.003),
    ("家族の世話をしているヤングケアラーの相談も受けます。", 0.004),
    ("介護と育児が重なるダブルケアの相談にも応じます。", 0.006),
]
APPLICATION = [
    "電話またはメールで申し込んでください。",
    "直接窓口へお越しください。",
    "申請書に必要事項を記入し、窓口に提出してください。",
    "予約は不要です。開いている時間に直接お越しください。",
    "ホームページの申し込みフォームから申し込めます。",
]
STATUSES = ["active"] * 94 + ["inactive"] * 3 + ["temporarily closed"] * 3
ENGLISH_SHARE = 0.10


@dataclass
class OrganizationRow:
    name: str
    name_kana: str
    legal_status: str


@dataclass
class ServiceRow:
    organization: int  # index into the organisations
    name: str
    name_kana: str
    alternate_name: str
    description: str
    eligibility: str
    application: str
    status: str
    target_groups: list[str]
    taxonomy_prefixes: list[str]
    english: tuple[str, str] | None


def organizations(count: int, rng: random.Random) -> list[OrganizationRow]:
    rows = []
    for number in range(count):
        pattern, kana = rng.choice(ORGANIZATION_PATTERNS)
        area, area_kana = rng.choice(AREAS)
        nick, nick_kana = rng.choice(NICKNAMES)
        division, division_kana = rng.choice(DIVISIONS)
        values = {
            "area": area,
            "area_kana": area_kana,
            "nick": nick,
            "nick_kana": nick_kana,
            "division": division,
            "division_kana": division_kana,
            "nick_en": rng.choice(NICK_EN),
        }
        name = pattern.format(**values)
        legal = next(
            (
                s
                for s in ("社会福祉法人", "NPO法人", "一般社団法人", "株式会社")
                if name.startswith(s)
            ),
            "任意団体",
        )
        # Providers share names often enough (自治会, 地域包括支援センター); a number tells them apart.
        rows.append(OrganizationRow(f"{name}（{number + 1}）", kana.format(**values), legal))
    return rows


def services(count: int, organization_count: int, rng: random.Random) -> Iterator[ServiceRow]:
    weights = [theme.weight for theme in THEMES]
    for _ in range(count):
        theme = rng.choices(THEMES, weights)[0]
        name, kana = rng.choice(theme.names)
        area, area_kana = rng.choice(AREAS)
        nick, nick_kana = rng.choice(NICKNAMES)
        shape = rng.random()
        if shape < 0.4:
            name, kana = f"{area}{name}", f"{area_kana}{kana}"
        elif shape < 0.7:
            name, kana = f"{name}「{nick}」", f"{kana}{nick_kana}"
        elif shape < 0.85:
            name, kana = f"{nick}{name}", f"{nick_kana}{kana}"
        sentences = rng.sample(theme.sentences, k=min(len(theme.sentences), rng.randint(1, 3)))
        # A second need now and then: services rarely serve exactly one.
        if rng.random() < 0.3:
            sentences.append(rng.choice(rng.choice(THEMES).sentences))
        for template in rng.sample(PRACTICAL, k=rng.randint(1, 3)):
            sentences.append(
                template.format(
                    day=rng.choice(DAYS),
                    time=rng.choice(TIMES),
                    place=rng.choice(PLACES),
                    fee=rng.choice([100, 200, 300, 500]),
                    area=area,
                )
            )
        for sentence, share in RARE:
            if rng.random() < share:
                sentences.append(sentence)
        eligibility = rng.choice(theme.eligibility)
        if rng.random() < 0.3:
            eligibility += "。" + rng.choice(
                ["市外の方もご相談ください", "家族や支援者の方の相談も受けます", "年齢は問いません"]
            )
        yield ServiceRow(
            organization=rng.randrange(organization_count),
            name=name,
            name_kana=kana,
            alternate_name="ファミサポ" if "ファミリー・サポート" in name else "",
            description="".join(sentences),
            eligibility=eligibility,
            application=rng.choice(APPLICATION),
            status=rng.choice(STATUSES),
            target_groups=rng.sample(theme.target_groups, k=min(len(theme.target_groups), 2)),
            taxonomy_prefixes=rng.sample(
                theme.taxonomy, k=min(len(theme.taxonomy), rng.randint(1, 2))
            ),
            english=rng.choice(theme.english)
            if theme.english and rng.random() < ENGLISH_SHARE
            else None,
        )


# (class, query): what residents and staff type, in the classes the targets are judged by.
QUERIES: list[tuple[str, str]] = [
    ("one character", "食"),
    ("one character", "児"),
    ("two characters, common", "介護"),
    ("two characters, common", "相談"),
    ("two characters, common", "育児"),
    ("two characters, rare", "点字"),
    ("two characters, rare", "手話"),
    ("word, common", "子育て"),
    ("word, common", "障害者"),
    ("word, common", "認知症"),
    ("word, rare", "ヤングケアラー"),
    ("word, rare", "ペット"),
    ("kana", "かいご"),
    ("kana", "そうだん"),
    ("kana", "ひきこもり"),
    ("synonym", "DV"),
    ("synonym", "ファミサポ"),
    ("synonym", "物忘れ"),
    ("several words", "介護 相談"),
    ("several words", "外国人 日本語 子ども"),
    ("several words", "認知症 家族 カフェ"),
    ("several words", "障害 就労 大船"),
    ("phrase", '"子ども食堂"'),
    ("phrase", "「就労支援」"),
    ("English", "food"),
    ("English", "wheelchair"),
    ("English", "consultation"),
    ("sentence", "認知症の母の介護と子育てが重なって仕事を続けられるか不安です"),
    ("sentence", "外国人の家族で日本語がわからず子どもの学校のことを相談したい"),
    ("no match (relaxed)", "点字 ペット 英語"),
]
