//! Realistic Vietnamese sample data: generated deterministically (for `assets/sample-data.json`
//! and the benchmarks) and loaded in one transaction.
//!
//! Times in a sample set are relative to the moment it is loaded (hours ago, hours from now), so
//! the sample always looks current: some follow-ups are overdue, some due today, some next week.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;
use crate::base::rng::Rng;
use crate::base::time::UtcMillis;
use crate::crm::customers::{self, CustomerInput, LifecycleStage, PhoneInput, Temperature};
use crate::crm::interactions::{self, Direction, InteractionInput, InteractionKind};
use crate::crm::rollups::refresh_rollups;
use crate::db::store::Store;

const HOUR_MS: i64 = 3_600_000;

/// A sample set: customers with their history.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SampleSet {
    pub customers: Vec<SampleCustomer>,
}

/// One customer of a sample set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SampleCustomer {
    pub customer: CustomerInput,
    /// How long ago the customer was added.
    pub created_hours_ago: i64,
    pub interactions: Vec<SampleInteraction>,
}

/// One interaction of a sample customer, with times relative to loading.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SampleInteraction {
    pub kind: InteractionKind,
    pub direction: Direction,
    #[serde(default)]
    pub subject: Option<String>,
    pub content: String,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    pub hours_ago: i64,
    #[serde(default)]
    pub next_action: Option<String>,
    /// When the next action is due, in hours from loading (negative: already overdue).
    #[serde(default)]
    pub next_in_hours: Option<i64>,
}

/// What loading a sample set did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadReport {
    #[ts(type = "number")]
    pub customers: i64,
    #[ts(type = "number")]
    pub interactions: i64,
}

impl Store {
    /// Loads a sample set (as JSON) in one transaction: all of it or nothing.
    pub fn load_sample_json(&mut self, json: &str, now: UtcMillis) -> Result<LoadReport> {
        let set: SampleSet = serde_json::from_str(json).map_err(|e| {
            Error::field(
                "file",
                "sample.file_invalid",
                format!("the sample file is not valid: {e}"),
            )
            .with("detail", e)
        })?;
        self.load_sample(&set, now)
    }

    /// Loads a sample set in one transaction: all of it or nothing.
    pub fn load_sample(&mut self, set: &SampleSet, now: UtcMillis) -> Result<LoadReport> {
        let tx = self.write_tx()?;
        let (report, _) = load_into(&tx, set, now)?;
        tx.commit()?;
        Ok(report)
    }
}

fn load_into(
    conn: &rusqlite::Connection,
    set: &SampleSet,
    now: UtcMillis,
) -> Result<(LoadReport, Vec<CustomerId>)> {
    let mut ids = Vec::with_capacity(set.customers.len());
    let mut report = LoadReport {
        customers: 0,
        interactions: 0,
    };
    for (i, c) in set.customers.iter().enumerate() {
        let id = customers::insert_input(conn, &c.customer, now - c.created_hours_ago * HOUR_MS)
            .map_err(|e| {
                Error::field(
                    "file",
                    "sample.customer_invalid",
                    format!("customer {}: {e}", i + 1),
                )
                .with("row", i + 1)
                .with("detail", e)
            })?;
        for s in &c.interactions {
            let at = now - s.hours_ago * HOUR_MS;
            let input = InteractionInput {
                customer_id: id.clone(),
                kind: s.kind,
                direction: s.direction,
                subject: s.subject.clone(),
                content: Some(s.content.clone()),
                outcome: s.outcome.clone(),
                duration_minutes: s.duration_minutes,
                occurred_at: Some(at),
                next_action: s.next_action.clone(),
                next_action_date: s.next_in_hours.map(|h| now + h * HOUR_MS),
                complete_task_id: None,
            };
            interactions::insert_input(conn, &input, at)?;
            report.interactions += 1;
        }
        refresh_rollups(conn, &id)?;
        ids.push(id);
        report.customers += 1;
    }
    Ok((report, ids))
}

// Family names weighted roughly as in Vietnam: Nguyễn alone is about four in ten.
const FAMILY: [&str; 24] = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần",
    "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương",
];
const MIDDLE_M: [&str; 10] = [
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Quốc", "Gia",
];
const MIDDLE_F: [&str; 10] = [
    "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hoài", "Bảo", "Phương", "Mỹ",
];
const GIVEN_M: [&str; 24] = [
    "Đức", "Hùng", "Tuấn", "Dũng", "Nam", "Quân", "Trung", "Bảo", "Duy", "Hải", "Hiếu", "Khánh",
    "Long", "Phúc", "Sơn", "Thắng", "Tiến", "Việt", "Vinh", "Đạt", "Huy", "Khoa", "Phong", "Thành",
];
const GIVEN_F: [&str; 24] = [
    "Lan", "Hương", "Hà", "Linh", "Mai", "Phương", "Thảo", "Trang", "Vy", "Yến", "Châu", "Giang",
    "Hoa", "My", "Ngân", "Nhung", "Tâm", "Trâm", "Uyên", "Xuân", "Anh", "Hằng", "Loan", "Dương",
];
const COMPANY_KIND: [&str; 8] = [
    "Công ty TNHH",
    "Công ty CP",
    "Cửa hàng",
    "Tạp hóa",
    "Đại lý",
    "Nhà thuốc",
    "Siêu thị mini",
    "Quán cà phê",
];
const COMPANY_NAME: [&str; 16] = [
    "Minh Phát",
    "An Khang",
    "Hưng Thịnh",
    "Phú Quý",
    "Thành Đạt",
    "Bình An",
    "Kim Long",
    "Đại Việt",
    "Sao Mai",
    "Hoàng Gia",
    "Tân Tiến",
    "Hòa Bình",
    "Phương Nam",
    "Thiên Phúc",
    "Đông Á",
    "Trường Sơn",
];
const STREET: [&str; 12] = [
    "Lê Lợi",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Phan Đình Phùng",
    "Hoàng Diệu",
    "Lê Duẩn",
    "Nguyễn Trãi",
    "Quang Trung",
];
const CITY: [&str; 8] = [
    "Quận 1, TP. Hồ Chí Minh",
    "Quận 3, TP. Hồ Chí Minh",
    "Bình Thạnh, TP. Hồ Chí Minh",
    "Thủ Đức, TP. Hồ Chí Minh",
    "Ba Đình, Hà Nội",
    "Cầu Giấy, Hà Nội",
    "Hải Châu, Đà Nẵng",
    "Ninh Kiều, Cần Thơ",
];
const TAGS: [&str; 8] = [
    "VIP",
    "Khách sỉ",
    "Khách lẻ",
    "Đại lý cấp 1",
    "Miền Nam",
    "Miền Bắc",
    "Hội chợ 2026",
    "Giới thiệu",
];
const SOURCES: [&str; 5] = ["Facebook", "Giới thiệu", "Hội chợ", "Zalo", "Đi thị trường"];
const MOBILE_PREFIXES: [&str; 12] = [
    "090", "091", "093", "094", "096", "097", "098", "032", "035", "070", "083", "086",
];

const CALL_NOTES: [(&str, &str); 8] = [
    (
        "interested",
        "Khách quan tâm dòng sản phẩm mới, hẹn gửi báo giá chi tiết.",
    ),
    (
        "callback",
        "Khách đang bận họp, hẹn gọi lại vào buổi chiều.",
    ),
    ("no_answer", "Gọi hai lần không bắt máy."),
    ("successful", "Khách chốt đơn 50 thùng, giao trong tuần."),
    (
        "not_interested",
        "Khách đã có nhà cung cấp, chưa có nhu cầu.",
    ),
    (
        "follow_up_needed",
        "Khách hỏi về chiết khấu cho đơn hàng lớn, cần xin ý kiến quản lý.",
    ),
    (
        "interested",
        "Trao đổi về chương trình khuyến mãi tháng này, khách thích combo quà tặng.",
    ),
    ("successful", "Đã xác nhận thanh toán đợt 1."),
];
const VISIT_NOTES: [&str; 4] = [
    "Ghé cửa hàng, kiểm tra trưng bày và tồn kho.",
    "Gặp chủ tiệm, giới thiệu mẫu mới và để lại catalogue.",
    "Giao hàng mẫu, khách dùng thử trong tuần.",
    "Thu tiền công nợ tháng trước.",
];
const NEXT_ACTIONS: [&str; 6] = [
    "Gửi báo giá",
    "Gọi lại xác nhận đơn",
    "Ghé thăm cửa hàng",
    "Gửi catalogue qua Zalo",
    "Nhắc thanh toán",
    "Hỏi thăm sau khi dùng thử",
];

/// Generates `customers` sample customers with about `interactions_per_customer` interactions
/// each (spread from 0 to twice that), deterministic for a seed.
pub fn generate(seed: u64, customers: usize, interactions_per_customer: usize) -> SampleSet {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(customers);
    for _ in 0..customers {
        out.push(generate_customer(&mut rng, interactions_per_customer));
    }
    SampleSet { customers: out }
}

/// One generated customer.
pub fn generate_customer(rng: &mut Rng, interactions_per_customer: usize) -> SampleCustomer {
    let female = rng.chance(50);
    let (middle, given) = if female {
        (rng.pick(&MIDDLE_F), rng.pick(&GIVEN_F))
    } else {
        (rng.pick(&MIDDLE_M), rng.pick(&GIVEN_M))
    };
    let full_name = format!("{} {} {}", rng.pick(&FAMILY), middle, given);
    let number = format!("{}{:07}", rng.pick(&MOBILE_PREFIXES), rng.below(10_000_000));
    // Some customers were saved with a spaced number, as people type them.
    let shown = if rng.chance(30) {
        format!("{} {} {}", &number[..4], &number[4..7], &number[7..])
    } else {
        number.clone()
    };
    let company = rng
        .chance(70)
        .then(|| format!("{} {}", rng.pick(&COMPANY_KIND), rng.pick(&COMPANY_NAME)));
    let email = rng.chance(40).then(|| {
        format!(
            "{}.{}{}@example.vn",
            crate::base::fold::fold(given),
            crate::base::fold::fold(middle),
            rng.below(1000)
        )
    });
    let mut tags = Vec::new();
    for _ in 0..rng.below(3) {
        let t = rng.pick(&TAGS).to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let stage = *rng.pick(&[
        LifecycleStage::Prospect,
        LifecycleStage::New,
        LifecycleStage::Active,
        LifecycleStage::Active,
        LifecycleStage::AtRisk,
        LifecycleStage::Churned,
    ]);
    let temperature = *rng.pick(&[
        Some(Temperature::Hot),
        Some(Temperature::Warm),
        Some(Temperature::Cold),
        None,
    ]);
    let customer = CustomerInput {
        full_name,
        phones: vec![PhoneInput {
            number: shown,
            label: None,
        }],
        email,
        company_name: company,
        address: Some(format!(
            "{} {}, {}",
            1 + rng.below(300),
            rng.pick(&STREET),
            rng.pick(&CITY)
        )),
        zalo_phone: rng.chance(60).then(|| number.clone()),
        source: Some(rng.pick(&SOURCES).to_string()),
        lifecycle_stage: Some(stage),
        temperature,
        tags,
        ..Default::default()
    };
    let created_hours_ago = 24 * (30 + rng.below(700) as i64);
    let n = rng.below(2 * interactions_per_customer as u64 + 1) as usize;
    let mut interactions = Vec::with_capacity(n);
    for _ in 0..n {
        let hours_ago = 1 + rng.below((created_hours_ago - 1).max(1) as u64) as i64;
        interactions.push(generate_interaction(rng, hours_ago));
    }
    // Only the latest contact carries an open next action, as in real use.
    interactions.sort_by_key(|i| std::cmp::Reverse(i.hours_ago));
    if let Some(last) = interactions.last_mut() {
        if rng.chance(60) {
            last.next_action = Some(rng.pick(&NEXT_ACTIONS).to_string());
            last.next_in_hours = Some(rng.below(24 * 12) as i64 - 24 * 3);
        }
    }
    SampleCustomer {
        customer,
        created_hours_ago,
        interactions,
    }
}

fn generate_interaction(rng: &mut Rng, hours_ago: i64) -> SampleInteraction {
    let kind = *rng.pick(&[
        InteractionKind::Call,
        InteractionKind::Call,
        InteractionKind::Call,
        InteractionKind::Visit,
        InteractionKind::Zalo,
        InteractionKind::Meeting,
        InteractionKind::Email,
        InteractionKind::Note,
    ]);
    let (outcome, content) = match kind {
        InteractionKind::Visit | InteractionKind::Meeting => (
            Some("successful".to_string()),
            rng.pick(&VISIT_NOTES).to_string(),
        ),
        InteractionKind::Note => (None, "Khách thích được liên hệ buổi sáng.".to_string()),
        _ => {
            let (o, c) = rng.pick(&CALL_NOTES);
            (Some(o.to_string()), c.to_string())
        }
    };
    SampleInteraction {
        kind,
        direction: if rng.chance(20) {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        subject: None,
        content,
        outcome,
        duration_minutes: matches!(kind, InteractionKind::Call | InteractionKind::Meeting)
            .then(|| 1 + rng.below(30) as i64),
        hours_ago,
        next_action: None,
        next_in_hours: None,
    }
}

/// Loads generated customers straight into an open transaction; used by the benchmarks to build
/// large databases without materialising the whole set in memory.
pub fn load_generated(
    store: &mut Store,
    seed: u64,
    customers: usize,
    interactions_per_customer: usize,
    now: UtcMillis,
) -> Result<(Vec<CustomerId>, LoadReport)> {
    let mut rng = Rng::new(seed);
    let tx = store.write_tx()?;
    let mut ids = Vec::with_capacity(customers);
    let mut total = LoadReport {
        customers: 0,
        interactions: 0,
    };
    for _ in 0..customers {
        let c = generate_customer(&mut rng, interactions_per_customer);
        let set = SampleSet { customers: vec![c] };
        let (r, new_ids) = load_into(&tx, &set, now)?;
        total.customers += r.customers;
        total.interactions += r.interactions;
        ids.extend(new_ids);
    }
    tx.commit()?;
    Ok((ids, total))
}
