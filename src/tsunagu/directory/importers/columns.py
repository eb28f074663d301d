"""The columns of the directory's CSV/Excel template: one row per service.

The Japanese headers are the file format (the reader matches them, the exporter
writes them, docs/directory-import.md documents them); meanings and formats are
user-facing text and go through gettext. Only サービス名 and 運営団体 are required;
a column left out of a file leaves that field of existing services as it is, a
column present with an empty cell clears it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    meaning: Promise | str
    format: Promise | str
    example: str
    required: bool = False
    multi: bool = False
    aliases: tuple[str, ...] = ()


MULTI = _("Several values: separate them with 「、」 or put one per line.")

COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "ID",
        _(
            "The service's HSDS id. Leave it empty for a new service; keep it when you edit an export."
        ),
        _("A UUID, as exported."),
        "0b8c8f3e-3c1a-4c1e-9a57-2f5d3c1e7a10",
        aliases=("サービスID", "uuid"),
    ),
    Column(
        "name",
        "サービス名",
        _("The service's name, as residents know it."),
        _("Text."),
        "福祉総合相談窓口",
        required=True,
    ),
    Column(
        "name_kana",
        "サービス名（ふりがな）",
        _("Reading of the name."),
        _("Hiragana."),
        "ふくしそうごうそうだんまどぐち",
        aliases=("ふりがな", "サービス名ふりがな"),
    ),
    Column(
        "alternate_name", "別名", _("Another name people use for it."), _("Text."), "なんでも相談"
    ),
    Column(
        "organization",
        "運営団体",
        _("Who provides the service. A name not yet in the directory creates the organisation."),
        _("The organisation's name, or its HSDS id where two share a name."),
        "鎌倉市 地域共生課",
        required=True,
        aliases=("団体名", "提供団体"),
    ),
    Column(
        "organization_kana",
        "運営団体（ふりがな）",
        _("Reading of the organisation's name."),
        _("Hiragana."),
        "かまくらし ちいききょうせいか",
    ),
    Column(
        "status",
        "状態",
        _("Whether the service runs."),
        _(
            "実施中, 休止中, 一時休止 or 廃止 (or the HSDS words active, inactive, temporarily closed, defunct); empty means 実施中."
        ),
        "実施中",
    ),
    Column(
        "description",
        "概要",
        _("What the service does, in plain words."),
        _("Text."),
        "暮らしの困りごとを分野を問わずお聞きし、必要な支援につなぎます。",
        aliases=("説明",),
    ),
    Column(
        "eligibility",
        "対象となる方",
        _("Who can use it, in words."),
        _("Text."),
        "市内にお住まいの方とそのご家族",
        aliases=("利用条件",),
    ),
    Column(
        "target_groups",
        "対象者区分",
        _("Who it is for, from the fixed list (高齢者, 障害者, 子ども・子育て, 外国人, 全世代 …)."),
        _("Names or codes."),
        "高齢者、障害者",
        multi=True,
    ),
    Column(
        "minimum_age", "対象年齢（下限）", _("Youngest age served."), _("A whole number."), "65"
    ),
    Column("maximum_age", "対象年齢（上限）", _("Oldest age served."), _("A whole number."), ""),
    Column(
        "categories",
        "分類",
        _("Categories of the tsunagu-welfare taxonomy."),
        _("Term names or codes, e.g. 福祉総合相談窓口 or general.one-stop."),
        "福祉総合相談窓口",
        multi=True,
    ),
    Column(
        "application_process",
        "申込方法",
        _("How to apply or get started."),
        _("Text."),
        "窓口または電話でご相談ください。",
    ),
    Column("fees", "費用", _("What it costs."), _("Text."), "無料"),
    Column(
        "required_documents",
        "必要書類",
        _("What to bring."),
        _("Text."),
        "本人確認書類（運転免許証、保険証など）",
        multi=True,
    ),
    Column(
        "hours",
        "受付時間",
        _("Opening hours."),
        _(
            "Days, hours and closures, e.g. 月-金 9:00-17:00 祝日休み / 第2水 13:30-15:30 / 24時間; several separated by 「、」 or one per line. See the hours syntax in the guide."
        ),
        "月-金 8:30-17:15 祝日・年末年始休み",
    ),
    Column(
        "phones",
        "電話番号",
        _("Phone numbers to call."),
        _("0467-23-3000, with （内線123） after it for an extension."),
        "0467-23-3000",
        multi=True,
    ),
    Column(
        "fax",
        "FAX番号",
        _("Fax numbers."),
        _("As phone numbers."),
        "0467-23-3001",
        aliases=("ファックス", "FAX"),
        multi=True,
    ),
    Column(
        "email",
        "メールアドレス",
        _("E-mail address of the service."),
        _("An e-mail address."),
        "soudan@example.jp",
        aliases=("メール",),
    ),
    Column(
        "url",
        "ウェブサイト",
        _("Web page of the service."),
        _("A URL starting with https://."),
        "https://www.example.jp/soudan/",
        aliases=("URL", "ホームページ"),
    ),
    Column(
        "languages",
        "対応言語",
        _("Languages the service is offered in."),
        _("Language codes or names, e.g. en or 英語, やさしい日本語, 手話."),
        "日本語、英語",
        multi=True,
    ),
    Column(
        "interpretation",
        "通訳・翻訳",
        _("Interpretation available, in words."),
        _("Text."),
        "タブレット通訳あり",
    ),
    Column(
        "areas",
        "対象地域",
        _("Where the service is offered; empty means the whole city."),
        _("Area names or codes (地域, 民生委員地区 …)."),
        "鎌倉地域、腰越地域",
        multi=True,
    ),
    Column(
        "initiatives",
        "計画の取組",
        _("The plan initiatives the service serves."),
        _("Initiative numbers such as 1-1-1-1."),
        "1-1-1-1",
        multi=True,
    ),
    Column(
        "alert",
        "お知らせ",
        _("A short, temporary notice (a change of hours …)."),
        _("Text, at most 300 characters."),
        "",
    ),
    Column(
        "location_name",
        "施設名",
        _("Where the service is offered."),
        _("Text; needed when any place column is filled."),
        "鎌倉市役所 本庁舎",
    ),
    Column("postal_code", "郵便番号", _("Postal code of the place."), _("123-4567."), "248-8686"),
    Column(
        "address",
        "住所",
        _("Address of the place; building after a space."),
        _(
            "Prefecture, city, town and number; the prefecture may be left out for a city already in the directory."
        ),
        "神奈川県鎌倉市御成町18-10 本庁舎2階",
    ),
    Column(
        "latitude",
        "緯度",
        _("Latitude of the place, for the map."),
        _("Decimal degrees."),
        "35.319225",
    ),
    Column(
        "longitude",
        "経度",
        _("Longitude of the place, for the map."),
        _("Decimal degrees."),
        "139.546687",
    ),
    Column(
        "is_sensitive",
        "住所非公開",
        _("Never show the address publicly (shelters and similar places)."),
        _(
            "はい or いいえ; empty means いいえ. An import cannot make a confidential address public."
        ),
        "いいえ",
    ),
    Column(
        "location_area",
        "施設の地域",
        _("The area (地域) the place lies in."),
        _("An area name or code."),
        "鎌倉地域",
    ),
    Column(
        "transportation",
        "交通・アクセス",
        _("How to get there."),
        _("Text."),
        "JR鎌倉駅西口から徒歩3分",
        aliases=("アクセス",),
    ),
    Column(
        "accessibility",
        "バリアフリー",
        _("Accessibility of the place."),
        _("Text."),
        "車いす対応トイレあり",
        multi=True,
    ),
    Column(
        "name_en",
        "サービス名（英語）",
        _("The name in English."),
        _("Text."),
        "One-stop welfare consultation",
    ),
    Column(
        "description_en",
        "概要（英語）",
        _("The description in English."),
        _("Text."),
        "Advice on any difficulty in daily life.",
    ),
    Column(
        "eligibility_en",
        "対象となる方（英語）",
        _("Who can use it, in English."),
        _("Text."),
        "Residents of the city and their families",
    ),
    Column(
        "application_en",
        "申込方法（英語）",
        _("How to apply, in English."),
        _("Text."),
        "Visit or call us.",
    ),
    Column("fees_en", "費用（英語）", _("What it costs, in English."), _("Text."), "Free"),
    Column(
        "last_verified",
        "最終確認日",
        _("When someone last confirmed the details."),
        _("A date: 2025-04-01 or 令和7年4月1日."),
        "2025-04-01",
    ),
)

BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]
REQUIRED = [column.header for column in COLUMNS if column.required]
TRANSLATED = {
    "name_en": "name",
    "description_en": "description",
    "eligibility_en": "eligibility_description",
    "application_en": "application_process",
    "fees_en": "fees_description",
}
PLACE_KEYS = (
    "location_name",
    "postal_code",
    "address",
    "latitude",
    "longitude",
    "is_sensitive",
    "location_area",
    "transportation",
    "accessibility",
)


def header_key(text: str) -> str:
    """How headers are compared: NFKC, no spaces, brackets unified."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return "".join(folded.split())


_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.key, *_column.aliases):
        _LOOKUP[header_key(_name)] = _column


def find_column(header: str) -> Column | None:
    return _LOOKUP.get(header_key(header))
