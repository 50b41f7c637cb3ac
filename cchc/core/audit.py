"""The one way to write an audit entry, and the one list of what may be logged."""

from __future__ import annotations

from typing import Any

from django.db import models

from cchc.core.models import AuditEntry


class AuditAction(models.TextChoices):
    """Every action the audit log records: ``<object>.<verb>``, with its Vietnamese label.

    An app that logs a new kind of change declares it here first;
    `audit_record` refuses anything else. Renaming one needs a data
    migration of the stored entries (see core/migrations/0005_audit_action_names.py).
    """

    UNIT_CREATE = "unit.create", "Thêm đơn vị"
    UNIT_UPDATE = "unit.update", "Sửa thông tin đơn vị"
    UNIT_RENAME = "unit.rename", "Đổi tên đơn vị"
    UNIT_MERGE = "unit.merge", "Sáp nhập đơn vị"
    UNIT_SPLIT = "unit.split", "Chia tách đơn vị"
    UNIT_RETIRE = "unit.retire", "Ngừng hoạt động đơn vị"
    ROLE_ASSIGN = "role.assign", "Giao vai trò"
    ROLE_REVOKE = "role.revoke", "Thu hồi vai trò"
    USER_CREATE = "user.create", "Tạo tài khoản"
    USER_UPDATE = "user.update", "Sửa tài khoản"
    USER_SET_PASSWORD = "user.set_password", "Đặt mật khẩu mới"
    USER_ACTIVATE = "user.activate", "Mở khóa tài khoản"
    USER_DEACTIVATE = "user.deactivate", "Khóa tài khoản"
    USER_DELETE = "user.delete", "Xóa tài khoản"
    GROUP_CREATE = "group.create", "Tạo nhóm quyền"
    GROUP_UPDATE = "group.update", "Sửa nhóm quyền"
    GROUP_DELETE = "group.delete", "Xóa nhóm quyền"
    NEWS_SECTION_CREATE = "news_section.create", "Tạo chuyên mục Cải cách hành chính"
    CRITERIA_SET_IMPORT = "criteria_set.import", "Nhập bộ tiêu chí"
    CRITERIA_SET_REPLACE = "criteria_set.replace", "Thay nội dung bộ tiêu chí"
    CRITERIA_SET_CLONE = "criteria_set.clone", "Sao chép bộ tiêu chí"
    CRITERIA_SET_FREEZE = "criteria_set.freeze", "Khóa bộ tiêu chí"
    CRITERIA_SET_REVISE = "criteria_set.revise", "Tạo phiên bản mới của bộ tiêu chí"
    PAR_YEAR_OPEN = "par_year.open", "Mở kỳ đánh giá Chỉ số CCHC"
    PAR_YEAR_UPDATE = "par_year.update", "Sửa kỳ đánh giá (thời gian, cơ quan thẩm định)"
    PAR_WINDOW_EXTEND = "par_window.extend", "Gia hạn cho đơn vị"
    PAR_ENTRY_SELF_ASSESS = "par_entry.self_assess", "Tự chấm điểm tiêu chí"
    PAR_ENTRY_EXEMPT = "par_entry.exempt", "Đánh dấu tiêu chí không áp dụng"
    PAR_EVIDENCE_UPLOAD = "par_evidence.upload", "Tải lên tài liệu kiểm chứng"
    PAR_EVIDENCE_LINK = "par_evidence.link", "Gắn tài liệu kiểm chứng vào tiêu chí"
    PAR_EVIDENCE_UNLINK = "par_evidence.unlink", "Gỡ tài liệu kiểm chứng khỏi tiêu chí"
    PAR_ASSESSMENT_SUBMIT = "par_assessment.submit", "Gửi bản tự đánh giá"
    PAR_ASSESSMENT_WITHDRAW = "par_assessment.withdraw", "Rút bản tự đánh giá để sửa"
    PAR_ASSESSMENT_REOPEN = "par_assessment.reopen", "Mở lại bản tự đánh giá"
    PAR_ENTRY_APPRAISE = "par_entry.appraise", "Thẩm định tiêu chí"
    PAR_ROUND1_CLOSE = "par_first_round.close", "Kết thúc thẩm định vòng 1, chuyển giải trình"
    PAR_ENTRY_EXPLAIN = "par_entry.explain", "Giải trình tiêu chí"
    PAR_EXPLANATION_SUBMIT = "par_explanation.submit", "Gửi giải trình"
    PAR_SURVEY_SET = "par_survey.set", "Nhập chỉ số SIPAS của đơn vị"
    PAR_RESULTS_IMPORT = "par_results.import", "Nhập kết quả chấm điểm của các đơn vị"
    PAR_YEAR_FINALISE = "par_year.finalise", "Chốt kết quả Chỉ số CCHC"
    PAR_YEAR_PUBLISH = "par_year.publish", "Công bố kết quả Chỉ số CCHC"
    PAR_PREVIOUS_SET = "par_previous_figures.set", "Nhập số liệu đã công bố của năm trước"
    TARGET_PLAN_LOAD = "target_plan.load", "Nạp kế hoạch chỉ tiêu CCHC"
    TARGET_PLAN_CLONE = "target_plan.clone", "Sao chép kế hoạch chỉ tiêu CCHC sang năm mới"
    TARGET_PLAN_ACTIVATE = "target_plan.activate", "Áp dụng kế hoạch chỉ tiêu CCHC"
    TARGET_VALUE_REPORT = "target_value.report", "Báo cáo số liệu chỉ tiêu CCHC"
    TARGET_VALUE_CORRECT = "target_value.correct", "Sửa số liệu chỉ tiêu CCHC (phiên bản mới)"
    TARGET_VALUE_IMPORT = "target_value.import", "Nhập số liệu chỉ tiêu CCHC từ tệp Excel"
    PROVINCE_RANKING_SET = "province_ranking.set", "Nhập điểm, thứ hạng chỉ số của tỉnh"
    TARGET_LEAF_LINK = "target_leaf_link.set", "Liên kết tiêu chí Chỉ số CCHC với chỉ tiêu CCHC"
    TARGET_LEAF_UNLINK = "target_leaf_link.remove", "Gỡ liên kết tiêu chí Chỉ số CCHC với chỉ tiêu"
    PAR_ENTRY_PREFILL = "par_entry.prefill", "Lấy số liệu tự đánh giá từ chỉ tiêu CCHC"
    SIPAS_SURVEY_CREATE = "sipas_survey.create", "Tạo đợt khảo sát SIPAS"
    SIPAS_SURVEY_UPDATE = "sipas_survey.update", "Sửa thiết lập đợt khảo sát SIPAS"
    SIPAS_SURVEY_OPEN = "sipas_survey.open", "Bắt đầu thu phiếu khảo sát SIPAS"
    SIPAS_SURVEY_CLOSE = "sipas_survey.close", "Kết thúc khảo sát SIPAS, xóa thông tin liên hệ"
    SIPAS_QUESTIONNAIRE_LOAD = "sipas_questionnaire.load", "Nạp mẫu phiếu khảo sát SIPAS"
    SIPAS_CASES_IMPORT = "sipas_cases.import", "Nhập danh sách hồ sơ đã giải quyết"
    SIPAS_SAMPLE_DRAW = "sipas_sample.draw", "Chọn mẫu khảo sát SIPAS"
    SIPAS_RESPONDENT_REFUSE = (
        "sipas_respondent.refuse",
        "Ghi nhận người được chọn từ chối, dùng mẫu dự phòng",
    )
    SIPAS_PAPER_ENTER = "sipas_paper.enter", "Nhập phiếu giấy SIPAS"
    SIPAS_PAPER_RESOLVE = "sipas_paper.resolve", "Xử lý phiếu nhập hai lần không khớp"
    SIPAS_RESULTS_FEED = "sipas_results.feed", "Chuyển kết quả SIPAS vào Chỉ số CCHC"


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    obj: models.Model,
    summary: str,
    unit=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    if action not in AuditAction.values:
        raise ValueError(
            f"Undeclared audit action {action!r}: add it to cchc.core.audit.AuditAction"
        )
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        unit=unit,
        summary=summary[:300],
        data=data or {},
    )
