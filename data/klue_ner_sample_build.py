"""Build data/klue_ner_sample.tsv, the offline sample of KLUE-NER v1.1, from marked-up sentences.

Run:  .venv/bin/python data/klue_ner_sample_build.py      (rewrites data/klue_ner_sample.tsv)

Every sentence below was **written for this project** (CC0 1.0, like the rest of data/); the people,
companies and many places are invented. The output has exactly the layout of
``klue-ner-v1.1_{train,dev}.tsv``: five ``## `` comment lines, then per sentence a line
``## <guid><TAB><sentence with <entity:TYPE> markup>``, one ``CHAR<TAB>TAG`` line per character (a space
is a character too, tagged ``O`` unless it is inside an entity), and a blank line between sentences.
The file is checked with ``lectureutils.ner.read_klue_ner`` after it is written.

The sentences cover the six types (PS person, LC location, OG organisation, DT date, TI time,
QT quantity) with the cases the notebook and the tests need: entities glued to particles
(``<서울:LC>에서``), adjacent entities (``<어제:DT><밤:TI>에``, ``<누리통신:OG>-<바다건설:OG>``, ``<4일:DT> <오전 1시:TI>``), entities
with spaces inside (``<지난 19일:DT>``), numbers with units and punctuation (``<8.3%:QT>``,
``<4천300t:QT>``), an entity at the start and at the very end of a sentence, Latin letters inside
Hangul, a literal colon and angle bracket that are *not* markup, and review-style text.

It also has the published files' **markup quirks**, in sentences written for this project (``QUIRKS``):
there the character lines (the truth, which the reader keeps) and the markup line disagree, as in the real
files: an entity whose characters start with a literal ``<`` (``<<윤서진:PS>>``, the ``<`` tagged ``B-PS``;
``<<10:QT>>``), malformed markup (``<1:QT>, 2편:QT>`` for the quantity ``1, 2편``; ``<삼남:QT>이녀<QT>`` for
``삼남이녀``), an entity whose text holds ``<...>`` (``<한빛<새>마을:LC>``), and one malformed markup the
characters copy literally (``<4:QT>, 5화:QT>``, as in the real dev file), where the two agree. The script
checks that the reader flags exactly the sentences that should disagree.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

HEADER = [
    "## 토큰, 레이블 구분자 : \\t",
    "## 토큰 구분자 : \\n",
    "## 문장 구분자 : \\n\\n",
    "## 주석 : ##",
    "## 컬럼명 : CHAR\tNE_TAG",
]
MARKUP = re.compile(r"<([^<>]+?):(PS|LC|OG|DT|TI|QT)>")

# News-style sentences (KLUE's "wikitree" source).
NEWS = """
<경찰:OG>은 <지난 19일:DT> <서울 마포구:LC>의 한 주택에서 <김도현:PS>씨를 불구속 입건했다.
<기상청:OG>은 <내일:DT> <오전 6시:TI>부터 <제주도:LC>에 최대 <80mm:QT>의 비가 내릴 것으로 내다봤다.
<한빛전자:OG>는 <올해:DT> <3분기:DT> 영업이익이 <1조2천억원:QT>으로 <지난해:DT>보다 <8.3%:QT> 늘었다고 밝혔다.
<이수아:PS> 감독은 <부산:LC>에서 열린 시사회에서 "<두 번째:QT> 작품도 <부산:LC>에서 찍고 싶다"고 말했다.
<국회:OG>는 <28일:DT> 본회의를 열어 법안 <12건:QT>을 통과시켰다.
<박준영:PS>(<34:QT>)씨는 <새벽 2시:TI>쯤 <강릉:LC> 해변에서 실종된 <10대:QT> <2명:QT>을 구조했다.
<누리통신:OG>-<바다건설:OG> 컨소시엄이 <인천:LC> 신항 개발 사업을 따냈다.
<대한축구협회:OG>는 <5월 6일:DT> <오후 7시:TI> <잠실 보조경기장:LC>에서 평가전을 연다고 발표했다.
<최하린:PS>은 결승에서 <정우진:PS>을 <3-1:QT>로 꺾고 <첫 번째:QT> 우승을 차지했다.
<보건복지부:OG>에 따르면 <지난달:DT> 신규 확진자는 하루 평균 <1천200명:QT>이었다.
<2023년 5월 3일:DT> <광화문광장:LC>에는 시민 <5만명:QT>이 모였다.
<서울대학교:OG> 연구팀은 <10년:DT> 동안 <한강:LC> 수질을 조사했다.
<강서윤:PS> 대표는 <이날:DT> <도쿄:LC>에서 <푸른숲출판사:OG>와 계약을 맺었다.
이 게시물은 <29일:DT>(<한국:LC>시각) <오전 9시 30분:TI> 기준 조회 수 <211만건:QT>을 기록했다.
<조민재:PS> 의원은 <국회:OG> 본회의장에서 <40분:TI> 동안 발언했다.
<소방당국:OG>은 불이 <오후 3시 20분:TI>쯤 <대구 수성구:LC>의 <12층:QT> 아파트에서 시작됐다고 설명했다.
<윤채원:PS> 선수는 <100m:QT> 결승에서 <11초52:QT>를 기록했다.
<전주 한옥마을:LC>을 찾은 관광객은 <설 연휴:DT> 동안 <32만명:QT>에 이르렀다.
<장태오:PS> 교수는 <2019년:DT> <미국:LC> <보스턴:LC>의 연구소로 자리를 옮겼다.
<한국은행:OG>은 기준금리를 <연 3.5%:QT>로 동결했다.
<임나래:PS>씨의 딸(<7:QT>)과 아들(<5:QT>)은 같은 어린이집에 다닌다.
<울릉도:LC>와 <독도:LC>를 잇는 여객선이 <오는 15일:DT>부터 하루 <2회:QT> 운항한다.
<바다건설:OG> 노조는 <24일:DT> <자정:TI>부터 파업에 들어갔다.
<송지아:PS> 작가의 신작은 출간 <나흘:DT> 만에 <10만부:QT>가 팔렸다.
<경기 수원:LC>의 한 초등학교에서 학생 <300여명:QT>이 식중독 증세를 보였다.
<배현우:PS> 씨가 운영하는 빵집은 <매일:DT> <오전 7시:TI>에 문을 연다.
<여수:LC> 남동쪽 바다에서 <4천300t:QT>급 화물선이 침몰해 선원 <16명:QT> 가운데 <3명:QT>이 구조됐다.
<신예린:PS>은 <LPGA:OG> 투어 <18번 홀:QT>에서 버디를 잡았다.
<권도훈:PS> 기자는 <다낭:LC> 현지에서 <일주일:DT> 동안 취재했다.
<교육부:OG>는 <다음 달:DT>부터 초등학교 <1학년:QT> 수업 시간을 <30분:TI> 늘린다.
<황보영:PS> 씨는 <누리통신:OG> 본사가 있는 <판교:LC>로 출근한다.
<남궁민지:PS> 선수가 <후반 27분:TI> 결승골을 넣었다.
<존 스미스:PS> 대사는 <외교부:OG>를 방문해 <두 시간:TI> 가까이 면담했다.
<춘천시:LC>와 <원주시:LC>는 <이달:DT>부터 시내버스 요금을 평균 <8.3%:QT> 올렸다.
<해오름고속철도:OG>는 <서울역:LC>에서 <부산역:LC>까지 <2시간 10분:TI>이면 간다고 밝혔다.
<마리아 곤잘레스:PS>는 <스페인:LC> 출신의 요리사로 <서울:LC>에 식당 <3곳:QT>을 냈다.
<한빛전자:OG>의 <1분기:DT> 스마트폰 판매량은 <2천만대:QT>를 넘었다.
<지난해 12월:DT> <설악산:LC>에는 눈이 <40cm:QT> 쌓였다.
<이날:DT> <정오:TI> 기준 <낙동강:LC> 수위는 <4.2m:QT>였다.
<다니엘 리:PS> 씨는 <캐나다:LC> <밴쿠버:LC>에서 <20년:DT> 넘게 살았다.
<청솔교향악단:OG>은 <토요일:DT> <저녁 8시:TI> 공연에 관객 <2천명:QT>을 모았다.
회의는 <10:30:TI>에 시작해 점수 3:1 같은 결과표를 놓고 <한 시간:TI> 이어졌다.
<국토교통부:OG> 관계자는 "도로 <4곳:QT>의 공사를 <연말:DT>까지 마치겠다"고 했다.
<김도현:PS> 의원과 <이수아:PS> 의원은 <같은 날:DT> <대전:LC>을 찾았다.
<경찰:OG>은 <A:PS>씨 부부에게 아동복지법 위반 혐의를 적용했다.
<B:PS> 씨는 사법시험 합격증이 위조된 것인지 알 수 없었다.
<서울시:OG>는 <한강공원:LC> <11곳:QT>에 쉼터를 만든다.
<세계보건기구:OG>(<WHO:OG>)는 <8일:DT> 긴급회의를 열었다.
<인천공항:LC>에서 출발한 항공기가 <1시간 40분:TI> 늦게 <제주공항:LC>에 내렸다.
수학 A형의 <1등급:QT> 커트라인은 평균 <96점:QT>, 수학 B형은 <99점:QT>이었다.
<오릭스:OG>는 <박준영:PS>의 결승포로 <4-1:QT> 역전승했다.
<강원도:LC> 산간에는 <밤사이:TI> 눈이 <15cm:QT> 내렸다.
<최하린:PS> 대표는 직원 <120명:QT>에게 1인당 <50만원:QT>의 성과급을 줬다.
<대법원:OG>은 <지난 3일:DT> 원심을 확정했다.
<파리:LC> 올림픽 양궁 대표팀이 단체전에서 금메달 <1개:QT>를 땄다.
<한빛전자:OG> 주가는 <오후 2시:TI> 현재 <3.1%:QT> 오른 <7만2천원:QT>에 거래되고 있다.
<어제:DT>(<10월 10일:DT>) 방송된 프로그램에서 <정우진:PS>은 <세 가지:QT> 비법을 공개했다.
<제주:LC> 앞바다에서 길이 <4m:QT>의 고래가 발견됐다.
<푸른숲출판사:OG>는 <창립 30주년:DT>을 맞아 책 <1만권:QT>을 기증했다.
<강도윤:PS> 씨의 <두 번째:QT> 개인전은 <7월 9일:DT>부터 <8월 23일:DT>까지 <서울시립미술관:LC>에서 열린다.
올해 신인상은 <한빛전자:OG> 배구단의 <서다인:PS>
""".strip().splitlines()

# Review-style sentences (KLUE's "nsmc" source): informal, spacing mistakes, ㅋㅋ, ...
REVIEWS = """
<송지아:PS> 연기 진짜 미쳤다ㅋㅋ <두 번:QT> 봤어요
<조니 뎁:PS>이 가장 매력적으로 나오는 영화. 배나온 <말론브랜도:PS>는 살짝 아쉬움
현재 <시네마테크:LC>에서 하고 있는 영화.. 놓치면 후회합니다.
내 <일요일:DT> <두시간:TI>을 잡아먹은 영화..<8점:QT>대 평점 믿은 내가 바보
<엠비씨:OG>에서 사극이 이렇게 망한다는 걸 깨달았다
<하나:QT>에 집중하지 않고 분산된 느낌이라 집중이 잘 안됨
영화 이해를 위해 꼭 <한가지:QT>는 알아야 할것...
<강리나:PS> 박사가 휠체어 타는 씬은 명장면
<저우쉰:PS>과 <탕웨이:PS>. 이 <두 사람:QT>이 최고
마지막 장면에서 <카게무샤:PS>가 <신겐:PS>의 깃발을 잡는 씬은 압권이다
<이수아:PS>님 감독으로도 승승장구하시길 화이팅
<올해:DT> 본 영화 중에 최고. <10점:QT> 만점에 <10점:QT>
<부산:LC> 사투리가 너무 어색해서 몰입이 안됨ㅠㅠ
<1편:QT>보다 훨씬 낫다 <3편:QT>도 나오면 좋겠음
<뉴욕:LC> 배경이 예뻐서 <세 번:QT>이나 봄
러닝타임 <3시간:TI>인데 하나도 안 지루함
<박지훈:PS> 나오는 장면만 기다렸다
<2시간:TI> 내내 졸았습니다 비추
<어릴 때:DT> 보고 <20년:DT> 만에 다시 봤는데 여전히 좋다
<한국:LC> 영화 중에 이런 스릴러는 처음인듯
<크리스마스:DT>마다 꼭 보는 영화^^
<마블:OG> 영화 중 최악... <5000원:QT>도 아깝다
<김도현:PS>이랑 <최하린:PS> 케미 최고ㅋㅋㅋ
<주말:DT>에 가족이랑 봤는데 애들이 좋아했어요
<도쿄:LC> 거리 풍경만 <1시간:TI> 보여주는 느낌
<제주도:LC> 가고 싶어지는 영화ㅎㅎ
<7살:QT> 조카도 끝까지 봤어요
<정하늘:PS> 목소리 연기 때문에 <별 다섯 개:QT> 줍니다
<넷플릭스:OG>에서 봤는데 극장에서 볼걸 후회됨
<1990년대:DT> 분위기 제대로 살렸다
<파리:LC> 에서 찍은 장면이 제일 좋았음
감독님 다음 작품은 <5년:DT> 뒤에나 나오려나
<윤채원:PS> ♥ <장태오:PS> 결혼해라ㅋㅋ
평점 <9.5:QT>는 너무 높다 <6점:QT>이면 적당
<새벽 3시:TI>에 혼자 보다가 무서워서 껐음
<어제:DT><밤:TI>에 <한빛시네마:OG>에서 봤는데 관객이 <5명:QT>뿐이었음
<한빛시네마:OG> <3관:QT> 음향 최고였음
<윤채원:PS> 너무 좋아 <3 <3 다음 작품도 기대
이 영화 배급사는 <누리픽처스:OG>
자막 번역이 이상해서 별로였음 번역가 누구냐 <강도윤:PS>
""".strip().splitlines()

# The published files' markup quirks: (source, the markup line as written, the character lines as
# {entity|TYPE} over the characters). The second form is the truth; the reader flags where the first
# disagrees with it. Written for this project, not copied from KLUE.
QUIRKS = [
    ("review", "주인공 이름을 그대로 딴 영화 <<윤서진:PS>>는 <두 번:QT> 봐도 좋다",
     "주인공 이름을 그대로 딴 영화 {<윤서진|PS}>는 {두 번|QT} 봐도 좋다"),
    ("review", "원작 소설 <<한결:PS>>보다 영화가 낫다",
     "원작 소설 {<한결|PS}>보다 영화가 낫다"),
    ("review", "별점 테러가 심해서 <<10:QT>>점 줍니다 ㅋㅋ",
     "별점 테러가 심해서 {<10|QT}>점 줍니다 ㅋㅋ"),
    ("review", "<1:QT>, 2편:QT>은 재밌게 봤는데 <3편:QT>은 지루했음",
     "{1, 2편|QT}은 재밌게 봤는데 {3편|QT}은 지루했음"),
    ("review", "오늘 제일 웃긴 건 <윤바다:PS> 가족!<삼남:QT>이녀<QT>최고^^",
     "오늘 제일 웃긴 건 {윤바다|PS} 가족!{삼남이녀|QT}최고^^"),
    ("news", "<한빛<새>마을:LC> 주민 <40명:QT>이 <오늘:DT> 마을회관에 모였다.",
     "{한빛<새>마을|LC} 주민 {40명|QT}이 {오늘|DT} 마을회관에 모였다."),
    ("review", "<4:QT>, 5화:QT>부터 갑자기 재밌어짐",
     "{4|QT}, 5화:QT>부터 갑자기 재밌어짐"),
]
TRUTH = re.compile(r"\{([^{}|]+)\|(PS|LC|OG|DT|TI|QT)\}")

# Templates: {slot} is filled from the pools below; each filled slot keeps its markup.
TEMPLATES = [
    ("news", "<{PS}:PS> 씨는 <{DT}:DT> <{LC}:LC>에서 <{OG}:OG> 관계자를 만났다."),
    ("news", "<{OG}:OG>은 <{DT}:DT> <{TI}:TI> <{LC}:LC>에서 기자회견을 열었다."),
    ("news", "<{LC}:LC>에 사는 <{PS}:PS>(<{AGE}:QT>)씨가 <{OG}:OG>에 신고했다."),
    ("news", "<{DT}:DT> <{LC}:LC>의 기온은 <{TEMP}:QT>까지 올랐다."),
    ("news", "<{OG}:OG> 대표 <{PS}:PS>은 직원 <{COUNT}:QT>과 함께 <{LC}:LC>을 방문했다."),
    ("news", "<{PS}:PS> 선수는 <{TI}:TI>에 교체 투입돼 <{GOALS}:QT>을 넣었다."),
    ("news", "<{LC}:LC>에서 <{LC2}:LC>까지 가는 버스는 <{TI}:TI>에 출발한다."),
    ("news", "<{OG}:OG>는 <{DT}:DT>부터 요금을 <{PERCENT}:QT> 인상한다고 밝혔다."),
    ("news", "<{PS}:PS> 장관은 <{DT}:DT> <{OG}:OG>를 찾아 <{TI}:TI> 동안 머물렀다."),
    ("news", "이번 행사에는 <{LC}:LC> 주민 <{COUNT}:QT>이 참가했다고 <{OG}:OG>가 전했다."),
    ("review", "<{PS}:PS> 연기 때문에 <{COUNT_TIMES}:QT> 봤음ㅋㅋ"),
    ("review", "<{DT}:DT>에 <{LC}:LC> 극장에서 봤는데 사람 엄청 많았어요"),
    ("review", "<{TI}:TI> 동안 한 번도 지루하지 않았다 <{PS}:PS> 최고"),
    ("review", "<{OG}:OG> 영화는 믿고 본다 <{SCORE}:QT> 드립니다"),
    ("review", "<{PS}:PS>이랑 <{PS2}:PS> 나오는 장면이 제일 좋았음"),
    ("review", "이거 보려고 <{LC}:LC>까지 갔다 왔는데 후회 없음"),
    ("review", "<{DT}:DT> 개봉했을 때 보고 지금 다시 보니 새롭다"),
    ("news", "<{PS}:PS> 교수 연구팀은 <{OG}:OG>의 지원으로 <{DT}:DT>까지 연구를 이어간다."),
    ("news", "<{LC}:LC> 일대에 <{TI}:TI>부터 <{RAIN}:QT>의 비가 쏟아졌다."),
    ("news", "<{OG}:OG>의 <{DT}:DT> 매출은 <{MONEY}:QT>으로 집계됐다."),
]
POOLS = {
    "PS": ["김도현", "이수아", "박준영", "최하린", "정우진", "강서윤", "조민재", "윤채원", "장태오", "임나래",
           "한결", "송지아", "배현우", "신예린", "권도훈", "오세아", "문지호", "유하람", "서다인", "노태윤"],
    "LC": ["서울", "부산", "대구", "광주", "대전", "울산", "세종", "제주도", "강릉", "전주", "포항", "목포",
           "춘천", "경주", "안동", "여수", "속초", "청주", "천안", "수원"],
    "OG": ["한빛전자", "누리통신", "바다건설", "푸른숲출판사", "기상청", "경찰", "국회", "교육부", "서울시",
           "청솔교향악단", "한빛시네마", "새벽일보", "가람은행", "하늘항공", "초록병원"],
    "DT": ["어제", "오늘", "내일", "지난주", "다음 주", "지난달", "올해 초", "2024년 3월", "지난 5일", "11월 2일",
           "주말", "연말", "설 연휴", "2021년", "지난해 가을"],
    "TI": ["오전 9시", "오후 2시 30분", "밤 11시", "새벽 4시", "정오", "10분", "두 시간", "30분", "오후 6시", "한 시간 반"],
    "AGE": ["21", "34", "47", "52", "68"],
    "TEMP": ["35도", "영하 12도", "38.2도", "31도"],
    "COUNT": ["30명", "120명", "2천명", "15명", "500여명"],
    "GOALS": ["1골", "2골", "결승골 1골"],
    "PERCENT": ["3%", "5.5%", "10%", "12.5%"],
    "COUNT_TIMES": ["두 번", "세 번", "5번", "열 번"],
    "SCORE": ["10점", "9점", "별 4개", "만점"],
    "RAIN": ["50mm", "120mm", "시간당 30mm"],
    "MONEY": ["3천억원", "1조원", "850억원", "2조3천억원"],
}
TEMPLATE_SENTENCES = 150
SEED = 7


def fill(template: str, generator: random.Random) -> str:
    """Fill a template's slots; a second slot of the same kind (``PS2``, ``LC2``) gets a different value."""
    used: dict[str, str] = {}

    def value(match):
        slot = match.group(1)
        pool = POOLS[slot.rstrip("2")]
        choice = generator.choice([item for item in pool if item not in used.values()])
        used[slot] = choice
        return choice

    return re.sub(r"\{([A-Z_]+2?)\}", value, template)


def characters_and_tags(markup: str, pattern: re.Pattern = MARKUP) -> tuple[str, list[str]]:
    """The sentence without markup and one BIO tag per character (spaces inside an entity are I-);
    ``pattern`` is the markup (``<entity:TYPE>``, or ``{entity|TYPE}`` for the quirks' characters)."""
    text, tags, position = [], [], 0
    for match in pattern.finditer(markup):
        before = markup[position:match.start()]
        text.append(before)
        tags.extend("O" * len(before))
        entity, kind = match.groups()
        text.append(entity)
        tags.extend([f"B-{kind}"] + [f"I-{kind}"] * (len(entity) - 1))
        position = match.end()
    text.append(markup[position:])
    tags.extend("O" * len(markup[position:]))
    return "".join(text), tags


def sentences() -> list[tuple[str, str, str | None]]:
    """(source, markup, the quirk's characters or None) for every sentence of the sample, in file order
    (news, reviews and quirks interleaved)."""
    generator = random.Random(SEED)
    templated = []
    for number in range(TEMPLATE_SENTENCES):
        source, template = TEMPLATES[number % len(TEMPLATES)]
        templated.append((source, fill(template, generator), None))
    handwritten = [("news", line, None) for line in NEWS] + [("review", line, None) for line in REVIEWS]
    everything = handwritten + templated + QUIRKS
    generator.shuffle(everything)
    seen, unique = set(), []
    for source, markup, truth in everything:
        if markup not in seen:
            seen.add(markup)
            unique.append((source, markup, truth))
    return unique


def render() -> str:
    lines = list(HEADER)
    for number, (source, markup, truth) in enumerate(sentences()):
        text, tags = characters_and_tags(markup) if truth is None else characters_and_tags(truth, TRUTH)
        unfilled = "{" in markup  # a template slot the pools did not fill
        if truth is None and (MARKUP.sub(lambda match: match.group(1), markup) != text or unfilled):
            raise AssertionError(markup)
        lines.append(f"## klue-ner-sample_{number:05d}-{source}\t{markup}")
        lines.extend(f"{char}\t{tag}" for char, tag in zip(text, tags))
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    target = Path(__file__).resolve().parent / "klue_ner_sample.tsv"
    target.write_text(render(), encoding="utf-8")
    sys.path.insert(0, str(target.parent.parent))
    from lectureutils.ner.corpus import read_klue_ner

    rows = read_klue_ner(target, verbose=False)
    disagreeing = {row["markup"] for row in rows if not row["markup_ok"]}
    expected = {markup for _, markup, truth in QUIRKS
                if characters_and_tags(truth, TRUTH) != characters_and_tags(markup)}
    if disagreeing != expected:
        raise AssertionError(f"the reader flags {sorted(disagreeing)}; "
                             f"the quirks that should disagree: {sorted(expected)}")
    print(f"wrote {target} ({len(rows)} sentences, {sum(len(row['chars']) for row in rows):,} characters, "
          f"{len(disagreeing)} whose markup line disagrees with the character tags on purpose)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
