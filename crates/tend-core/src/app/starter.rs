//! What a new salesperson starts with: four Vietnamese templates (thanks after a purchase, a
//! check-in a week later, a birthday greeting, a nudge about a quote) and a care scenario built
//! from them, so Templates and Scenarios open on something that works rather than on an empty
//! page. They are ordinary templates and an ordinary scenario: edited or deleted like any other.
//! Added once, to a data folder that has neither templates nor scenarios yet.

use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::care::model::{ScenarioInput, StepInput, StepKind};
use crate::care::timing::DelayFrom;
use crate::db::store::Store;
use crate::messaging::outbox::SendChannel;
use crate::messaging::templates::{TemplateCategory, TemplateChannel, TemplateInput};

/// The setting that records the starter content was offered (added, or skipped because the
/// folder already had its own).
const OFFERED: &str = "starter_content_offered";

/// The starter templates: name, category, body.
const TEMPLATES: [(&str, TemplateCategory, &str); 4] = [
    (
        "Tri ân khách sau mua",
        TemplateCategory::ThankYou,
        "Dạ em chào anh/chị {{customer.given_name}}, em là {{me.name}}. Cảm ơn anh/chị đã tin dùng \
         sản phẩm bên em. Trong quá trình sử dụng có gì chưa rõ, anh/chị cứ nhắn em nhé!",
    ),
    (
        "Thăm hỏi sau 1 tuần",
        TemplateCategory::FollowUp,
        "Dạ anh/chị {{customer.given_name}} ơi, sản phẩm dùng được một tuần rồi, anh/chị thấy thế \
         nào ạ? Nếu cần em hướng dẫn thêm hay hỗ trợ gì, anh/chị báo em một tiếng nhé.",
    ),
    (
        "Chúc mừng sinh nhật",
        TemplateCategory::Birthday,
        "Chúc mừng sinh nhật anh/chị {{customer.given_name}}! Chúc anh/chị tuổi mới thật nhiều \
         sức khoẻ, niềm vui và thành công. Em {{me.name}}.",
    ),
    (
        "Nhắc xem báo giá",
        TemplateCategory::Quotation,
        "Dạ anh/chị {{customer.given_name}} ơi, hôm trước em có gửi báo giá, anh/chị xem qua được \
         chưa ạ? Có chỗ nào cần điều chỉnh, anh/chị cứ trao đổi với em nhé.",
    ),
];

impl Store {
    /// Adds the starter templates and scenario, once, if this data folder has no templates and
    /// no scenarios. Returns whether it added them.
    pub fn add_starter_content(&mut self, now: UtcMillis) -> Result<bool> {
        if self.setting(OFFERED)?.is_some() {
            return Ok(false);
        }
        let empty: bool = self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM message_templates)
                AND NOT EXISTS (SELECT 1 FROM scenarios)",
            [],
            |r| r.get(0),
        )?;
        if empty {
            let mut ids = Vec::new();
            for (name, category, body) in TEMPLATES {
                let t = self.create_template(
                    &TemplateInput {
                        name: name.into(),
                        channel: TemplateChannel::Any,
                        category,
                        body: body.split_whitespace().collect::<Vec<_>>().join(" "),
                        ..Default::default()
                    },
                    now,
                )?;
                ids.push(t.id);
            }
            let message = |t: usize, days: i64| StepInput {
                id: None,
                kind: StepKind::Message,
                delay_days: days,
                delay_hours: 0,
                delay_minutes: 0,
                delay_from: DelayFrom::Start,
                title: None,
                priority: None,
                due_offset_minutes: None,
                template_id: Some(ids[t].clone()),
                // The salesperson's own Zalo: how Vietnamese customers are cared for.
                channel: Some(SendChannel::ZaloPersonal),
            };
            self.create_scenario(
                &ScenarioInput {
                    name: "Chăm sóc sau bán hàng".into(),
                    description: Some(
                        "Cảm ơn ngay khi mua, gọi hỏi thăm sau 3 ngày, nhắn thăm hỏi sau 1 tuần"
                            .into(),
                    ),
                    steps: vec![
                        message(0, 0),
                        StepInput {
                            kind: StepKind::Task,
                            delay_days: 3,
                            title: Some("Gọi hỏi thăm khách dùng sản phẩm".into()),
                            template_id: None,
                            channel: None,
                            ..message(0, 3)
                        },
                        message(1, 7),
                    ],
                    ..Default::default()
                },
                now,
            )?;
        }
        self.set_setting(OFFERED, Some(if empty { "added" } else { "skipped" }))?;
        Ok(empty)
    }
}
