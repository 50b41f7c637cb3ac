"""Demo articles for the CCHC section (load_demo, through hooks.DEMO_LOAD).

Idempotent: an article is identified by its slug within its topic, an image
by its title, so running load_demo twice adds nothing.
"""

from __future__ import annotations

import datetime
import io

from anyascii import anyascii
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from cchc.lib.text import slug_for
from cchc.news.models import ArticlePage, SectionPage, Topic, TopicPage
from cchc.news.services import article_create, section_ensure
from cchc.org.models import Unit
from cchc.org.selectors import province

# Colours per topic for the generated illustrations (no files are downloaded).
TOPIC_COLOURS = {
    Topic.ACTIVITIES: ((161, 22, 27), (255, 213, 74)),
    Topic.POLICIES: ((11, 79, 156), (220, 235, 250)),
    Topic.MODELS: ((22, 110, 70), (210, 240, 220)),
    Topic.TWO_LEVEL: ((110, 60, 140), (240, 225, 245)),
    Topic.DEVELOPMENT: ((180, 95, 10), (255, 236, 205)),
}


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# (unit slug or None for the province, topic, days ago, title, summary, body)
ARTICLES = [
    (
        None,
        Topic.POLICIES,
        12,
        "Tỉnh An Giang triển khai Kế hoạch nâng cao Chỉ số cải cách hành chính giai đoạn "
        "2026 – 2030",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch số 201/KH-UBND về nâng cao các Chỉ số PAR "
        "INDEX, SIPAS và PAPI, đặt mục tiêu đưa Chỉ số cải cách hành chính của tỉnh năm 2026 "
        "vào nhóm dẫn đầu.",
        _p(
            "Ngày 16/4/2026, Ủy ban nhân dân tỉnh An Giang ban hành Kế hoạch số 201/KH-UBND về "
            "nâng cao các Chỉ số: Cải cách hành chính (PAR INDEX), Đo lường sự hài lòng của "
            "người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS), "
            "Hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) giai đoạn 2026 – 2030.",
            "Năm 2025, Chỉ số cải cách hành chính của tỉnh đạt 86,50/100 điểm, xếp hạng 31/34 "
            "tỉnh, thành phố. Kế hoạch yêu cầu các sở, ban, ngành và Ủy ban nhân dân các xã, "
            "phường, đặc khu rà soát từng tiêu chí bị trừ điểm, xác định nguyên nhân và giải "
            "pháp khắc phục, phấn đấu năm 2026 xếp hạng 15/34.",
            "Trong đó, công tác thông tin, tuyên truyền về cải cách hành chính được xác định là "
            "nhiệm vụ trọng tâm: mỗi cơ quan, địa phương phải có chuyên mục “Cải cách hành "
            "chính” trên trang thông tin điện tử của mình và thường xuyên cập nhật tin, bài.",
        ),
    ),
    (
        None,
        Topic.ACTIVITIES,
        5,
        "Ra mắt chuyên mục “Cải cách hành chính” trên Cổng thông tin điện tử tỉnh",
        "Chuyên mục tập hợp tin, bài về cải cách hành chính của tỉnh, các sở, ban, ngành và "
        "102 xã, phường, đặc khu, có tính năng thống kê số lượt truy cập.",
        _p(
            "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Nội vụ phối hợp với Văn phòng Ủy "
            "ban nhân dân tỉnh đưa vào hoạt động chuyên mục “Cải cách hành chính” trên Cổng "
            "thông tin điện tử tỉnh An Giang.",
            "Chuyên mục gồm năm nhóm nội dung: hoạt động cải cách hành chính của cơ quan, địa "
            "phương; chủ trương của Đảng, chính sách, pháp luật của Nhà nước; mô hình hay, sáng "
            "kiến; hiệu quả chính quyền địa phương hai cấp; các chương trình, đề án phát triển "
            "kinh tế – xã hội của tỉnh.",
            "Mỗi sở, ban, ngành và xã, phường, đặc khu có chuyên mục riêng, có thể nhúng vào "
            "trang thông tin điện tử của đơn vị. Tin, bài của các đơn vị được tổng hợp tự động "
            "về chuyên mục của tỉnh.",
        ),
    ),
    (
        "so-noi-vu",
        Topic.ACTIVITIES,
        20,
        "Sở Nội vụ tập huấn nghiệp vụ tự đánh giá Chỉ số cải cách hành chính năm 2026",
        "Hơn 300 cán bộ làm công tác cải cách hành chính của các sở, ban, ngành và cấp xã "
        "được hướng dẫn cách chấm điểm và chuẩn bị tài liệu kiểm chứng.",
        _p(
            "Sở Nội vụ tổ chức hội nghị tập huấn trực tiếp kết hợp trực tuyến về nghiệp vụ tự "
            "đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026 cho cán bộ, công chức phụ "
            "trách công tác cải cách hành chính của các cơ quan, địa phương.",
            "Tại hội nghị, báo cáo viên phân tích những tiêu chí tỉnh bị trừ điểm năm 2025, "
            "nhấn mạnh yêu cầu tài liệu kiểm chứng phải đầy đủ, đúng thời hạn và phản ánh đúng "
            "kết quả thực hiện.",
            "Các đại biểu đã trao đổi nhiều vướng mắc trong quá trình tự đánh giá, nhất là đối "
            "với các xã, phường mới được sắp xếp theo mô hình chính quyền địa phương hai cấp.",
        ),
    ),
    (
        "so-noi-vu",
        Topic.TWO_LEVEL,
        45,
        "Đánh giá hoạt động của chính quyền địa phương hai cấp sau sáu tháng vận hành",
        "Bộ máy cấp xã sau sắp xếp cơ bản vận hành thông suốt; việc giải quyết thủ tục hành "
        "chính cho người dân, doanh nghiệp không bị gián đoạn.",
        _p(
            "Sở Nội vụ tổng hợp báo cáo của các xã, phường, đặc khu về tình hình hoạt động của "
            "chính quyền địa phương hai cấp kể từ ngày 01/7/2025.",
            "Kết quả cho thấy Trung tâm Phục vụ hành chính công cấp xã đã tiếp nhận và giải "
            "quyết phần lớn hồ sơ đúng và trước hạn. Một số địa phương còn thiếu công chức có "
            "chuyên môn về đất đai, xây dựng và công nghệ thông tin.",
            "Sở Nội vụ kiến nghị tiếp tục bồi dưỡng, điều động, biệt phái công chức phù hợp và "
            "đầu tư trang thiết bị cho các địa phương còn khó khăn.",
        ),
    ),
    (
        "so-tu-phap",
        Topic.POLICIES,
        30,
        "Phổ biến các quy định mới về thủ tục hành chính trong lĩnh vực hộ tịch",
        "Sở Tư pháp hướng dẫn công chức tư pháp – hộ tịch cấp xã thực hiện đúng quy trình "
        "đăng ký hộ tịch trực tuyến toàn trình.",
        _p(
            "Sở Tư pháp tổ chức phổ biến các quy định mới về đăng ký và quản lý hộ tịch, trong "
            "đó có việc thực hiện thủ tục đăng ký khai sinh, đăng ký kết hôn trực tuyến trên "
            "Cổng Dịch vụ công.",
            "Công chức tư pháp – hộ tịch được hướng dẫn kiểm tra hồ sơ điện tử, sử dụng dữ "
            "liệu dân cư để giảm giấy tờ người dân phải nộp và trả kết quả bản điện tử.",
        ),
    ),
    (
        "xa-an-phu",
        Topic.ACTIVITIES,
        3,
        "Xã An Phú đẩy mạnh tiếp nhận hồ sơ trực tuyến tại Trung tâm Phục vụ hành chính công",
        "Tổ công nghệ số cộng đồng hỗ trợ người dân nộp hồ sơ trực tuyến, tỷ lệ hồ sơ trực "
        "tuyến tăng rõ rệt so với quý trước.",
        _p(
            "Trung tâm Phục vụ hành chính công xã An Phú bố trí khu vực hướng dẫn, có công chức "
            "và đoàn viên thanh niên hỗ trợ người dân tạo tài khoản, nộp hồ sơ và thanh toán "
            "phí, lệ phí trực tuyến.",
            "Ủy ban nhân dân xã giao chỉ tiêu cho từng bộ phận, theo dõi hằng tuần tỷ lệ hồ sơ "
            "trực tuyến và tỷ lệ hồ sơ giải quyết đúng hạn.",
            "Người dân đến giao dịch được lấy ý kiến đánh giá mức độ hài lòng ngay tại quầy "
            "bằng thiết bị điện tử.",
        ),
    ),
    (
        "xa-an-phu",
        Topic.MODELS,
        25,
        "Mô hình “Ngày thứ Bảy không hẹn” tại xã An Phú",
        "Trung tâm Phục vụ hành chính công xã làm việc sáng thứ Bảy để phục vụ người lao động "
        "không thể đến trong giờ hành chính.",
        _p(
            "Từ tháng 9/2025, xã An Phú duy trì mô hình tiếp nhận và trả kết quả thủ tục hành "
            "chính vào sáng thứ Bảy hằng tuần.",
            "Mô hình được người dân, nhất là công nhân và người buôn bán nhỏ, đánh giá cao. Xã "
            "dự kiến mở rộng thêm dịch vụ hỗ trợ tại nhà cho người cao tuổi, người khuyết tật.",
        ),
    ),
    (
        "xa-an-phu",
        Topic.DEVELOPMENT,
        60,
        "Xã An Phú triển khai đề án phát triển du lịch cộng đồng gắn với nông nghiệp",
        "Đề án hướng tới hình thành các điểm du lịch trải nghiệm nông nghiệp, nâng cao thu "
        "nhập cho người dân.",
        _p(
            "Ủy ban nhân dân xã An Phú tổ chức hội nghị triển khai đề án phát triển du lịch cộng "
            "đồng gắn với sản xuất nông nghiệp giai đoạn 2026 – 2030.",
            "Đề án tập trung cải thiện hạ tầng giao thông nông thôn, hỗ trợ hộ dân làm dịch vụ "
            "lưu trú, ẩm thực và quảng bá sản phẩm địa phương trên môi trường số.",
        ),
    ),
    (
        "phuong-long-xuyen",
        Topic.TWO_LEVEL,
        8,
        "Phường Long Xuyên lấy ý kiến người dân về hoạt động của chính quyền phường",
        "Phiếu khảo sát tập trung vào thái độ phục vụ, thời gian giải quyết hồ sơ và việc "
        "công khai thủ tục hành chính.",
        _p(
            "Ủy ban nhân dân phường Long Xuyên phát phiếu khảo sát trực tiếp và trực tuyến để "
            "lấy ý kiến người dân, tổ chức về hoạt động của chính quyền phường sau khi sắp xếp.",
            "Kết quả khảo sát là căn cứ để phường điều chỉnh cách bố trí nhân sự tại Trung tâm "
            "Phục vụ hành chính công và cải thiện chất lượng phục vụ.",
        ),
    ),
    (
        "phuong-long-xuyen",
        Topic.MODELS,
        70,
        "Phường Long Xuyên áp dụng số thứ tự và nhắn tin báo kết quả hồ sơ",
        "Người dân nhận tin nhắn khi hồ sơ có kết quả, không phải đến hỏi nhiều lần.",
        _p(
            "Phường Long Xuyên đưa vào sử dụng hệ thống lấy số thứ tự tự động và nhắn tin thông "
            "báo khi hồ sơ có kết quả.",
            "Giải pháp giúp giảm thời gian chờ đợi, hạn chế tình trạng người dân phải đi lại "
            "nhiều lần và tăng tính minh bạch trong giải quyết thủ tục hành chính.",
        ),
    ),
    (
        "phuong-rach-gia",
        Topic.DEVELOPMENT,
        90,
        "Phường Rạch Giá triển khai chương trình chỉnh trang đô thị năm 2026",
        "Chương trình ưu tiên cải tạo vỉa hè, chiếu sáng và thoát nước tại các tuyến đường "
        "trung tâm.",
        _p(
            "Ủy ban nhân dân phường Rạch Giá triển khai chương trình chỉnh trang đô thị năm "
            "2026, huy động nguồn lực từ ngân sách và xã hội hóa.",
            "Các hạng mục được công khai trên trang thông tin điện tử của phường để người dân "
            "theo dõi, giám sát và góp ý.",
        ),
    ),
    (
        "dac-khu-phu-quoc",
        Topic.ACTIVITIES,
        15,
        "Đặc khu Phú Quốc rút ngắn thời gian giải quyết thủ tục đầu tư",
        "Đặc khu thành lập tổ công tác liên ngành để hỗ trợ nhà đầu tư, giải quyết hồ sơ "
        "trước hạn.",
        _p(
            "Đặc khu Phú Quốc thành lập tổ công tác liên ngành hỗ trợ nhà đầu tư, theo dõi tiến "
            "độ từng hồ sơ và kịp thời tháo gỡ vướng mắc.",
            "Nhiều thủ tục trong lĩnh vực đầu tư, xây dựng được giải quyết trước hạn, góp phần "
            "cải thiện môi trường kinh doanh của địa phương.",
        ),
    ),
]


def _image(topic: Topic):
    Image = get_image_model()
    title = f"Ảnh minh họa – {topic.label}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    dark, light = TOPIC_COLOURS[topic]
    canvas = PILImage.new("RGB", (1200, 675), light)
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 1200, 60):
        draw.rectangle([i, 560, i + 40, 675 - (i % 240) // 4], fill=dark)
    draw.ellipse([80, 80, 380, 380], fill=dark)
    draw.rectangle([460, 140, 1100, 200], fill=dark)
    draw.rectangle([460, 240, 980, 280], fill=dark)
    draw.rectangle([460, 320, 1040, 360], fill=dark)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    image = Image(
        title=title,
        description=f"Ảnh minh họa cho chủ đề {topic.label}",
        collection=Collection.get_first_root_node(),
    )
    image.file = ImageFile(buffer, name=f"{slugify(anyascii(topic.value))}.png")
    image.save()
    return image


@transaction.atomic
def load(stdout) -> None:
    created = 0
    now = timezone.now()
    for unit_slug, topic, days_ago, title, summary, body in ARTICLES:
        unit = province() if unit_slug is None else Unit.objects.filter(slug=unit_slug).first()
        if unit is None:
            continue
        section = SectionPage.objects.filter(unit=unit).first() or section_ensure(unit=unit)
        if section is None:
            continue
        topic_page = TopicPage.objects.child_of(section).get(topic=topic)
        slug = slug_for(title)
        # By title too: databases loaded before slugs were cut at whole words.
        siblings = ArticlePage.objects.child_of(topic_page)
        if siblings.filter(Q(slug=slug) | Q(title=title)).exists():
            continue
        article_create(
            actor=None,
            topic_page=topic_page,
            title=title,
            slug=slug,
            summary=summary,
            body=body,
            lead_image=_image(topic),
            lead_image_caption="Ảnh minh họa.",
            publish=True,
            published_at=now - datetime.timedelta(days=days_ago, hours=days_ago % 7),
        )
        created += 1
    stdout.write(f"Tin bài CCHC mẫu: thêm {created} tin.")
