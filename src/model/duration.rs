//! Durations (`15个工作日`, `30日`, `即办`), the holiday calendar, and date-free comparisons.
//!
//! A limit in working days has no fixed length in calendar days: it depends on the
//! day the clock starts. Without a date we compare with bounds. For `N` working days
//! the calendar span is the number of days from the day of receipt (not counted) to
//! the day the N-th working day ends; its lower and upper bounds are the minimum and
//! maximum of that span over every receipt day the calendar covers (and, past the
//! calendar, over weekends alone, where the minimum is `N + 2·⌊(N−1)/5⌋`).
//! Two amounts in the same unit compare exactly; otherwise their calendar bounds must
//! not overlap, or the comparison is undecidable and says so.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Mutex;

use anyhow::{bail, Context};
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

/// The largest N accepted in a duration: about 27 years of calendar days.
pub const MAX_DAYS: u32 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Unit {
    /// 工作日: weekends and public holidays excluded.
    Working,
    /// 自然日.
    Calendar,
    /// 月: calendar months (to the same day of the month, or the month's last day).
    Month,
    /// 年: years.
    Year,
}

/// A parsed duration: `days` is the count in its unit (days, months or years).
/// `unit: None` is `即办`/`当场` (zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub days: u32,
    pub unit: Option<Unit>,
}

impl Duration {
    pub const INSTANT: Duration = Duration {
        days: 0,
        unit: None,
    };

    pub fn working(days: u32) -> Self {
        Duration {
            days,
            unit: Some(Unit::Working),
        }
    }

    pub fn calendar(days: u32) -> Self {
        Duration {
            days,
            unit: Some(Unit::Calendar),
        }
    }

    pub fn months(n: u32) -> Self {
        Duration {
            days: n,
            unit: Some(Unit::Month),
        }
    }

    pub fn years(n: u32) -> Self {
        Duration {
            days: n,
            unit: Some(Unit::Year),
        }
    }

    pub fn is_zero(&self) -> bool {
        self.unit.is_none() || self.days == 0
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            None => f.write_str("即办"),
            Some(Unit::Working) => write!(f, "{}个工作日", self.days),
            Some(Unit::Calendar) => write!(f, "{}日", self.days),
            Some(Unit::Month) => write!(f, "{}个月", self.days),
            Some(Unit::Year) => write!(f, "{}年", self.days),
        }
    }
}

/// Suffixes by unit, longest first where one ends another.
const SUFFIXES: &[(&str, Unit)] = &[
    ("个工作日", Unit::Working),
    ("工作日", Unit::Working),
    ("working days", Unit::Working),
    ("working day", Unit::Working),
    ("个自然日", Unit::Calendar),
    ("自然日", Unit::Calendar),
    ("日", Unit::Calendar),
    ("天", Unit::Calendar),
    ("days", Unit::Calendar),
    ("day", Unit::Calendar),
    ("个月", Unit::Month),
    ("月", Unit::Month),
    ("年", Unit::Year),
];

/// The largest count accepted per unit: about 27 years.
fn max_count(unit: Unit) -> u32 {
    match unit {
        Unit::Working | Unit::Calendar => MAX_DAYS,
        Unit::Month => MAX_DAYS / 30,
        Unit::Year => MAX_DAYS / 365,
    }
}

/// A whole number in Chinese numerals: 三, 十五, 二十, 一百八十, 两, 一千二百六十;
/// `None` for anything else or a number beyond `u32`. (Durations and article
/// numbers both read it.)
pub fn chinese_number(text: &str) -> Option<u32> {
    let mut total: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in text.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let scale = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        // 十五 is fifteen: a bare 十 counts one ten.
        let n = digit.take().unwrap_or(1);
        total = total.checked_add(n.checked_mul(scale)?)?;
    }
    total.checked_add(digit.unwrap_or(0))
}

/// A digit of a number in Chinese or Arabic numerals.
pub fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二两三四五六七八九十百千".contains(c)
}

/// Parses a duration as SPEC §1.2 writes it; the error explains what is accepted.
pub fn parse(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t == "即办" || t == "当场" {
        return Ok(Duration::INSTANT);
    }
    let number_end = t
        .char_indices()
        .find(|(_, c)| !is_numeral(*c))
        .map_or(t.len(), |(i, _)| i);
    let (number, rest) = t.split_at(number_end);
    let rest = rest.trim_start();
    let bad = || {
        format!(
            "无法识别的时限 `{text}`：应写作 `N个工作日`、`N日`、`N个自然日`、`N个月`、`N年`、`即办` 等，\
             N 为整数（可用中文数字，如 二十）(unrecognised duration; expected e.g. `15个工作日`, `30日`, `三个月`, `即办`)"
        )
    };
    let Some(&(_, unit)) = SUFFIXES.iter().find(|(s, _)| rest == *s) else {
        return Err(bad());
    };
    let n = if number.bytes().all(|b| b.is_ascii_digit()) {
        number.parse::<u64>().ok()
    } else if number.chars().any(|c| c.is_ascii_digit()) {
        None
    } else {
        chinese_number(number).map(u64::from)
    };
    let Some(n) = n.filter(|_| !number.is_empty()) else {
        return Err(bad());
    };
    let max = max_count(unit);
    let n = u32::try_from(n)
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| format!("时限 `{text}` 过长：最多 {MAX_DAYS} 日 (duration too long)"))?;
    Ok(Duration {
        days: n,
        unit: Some(unit),
    })
}

/// True when a duration is written in bare days (`N日`, `N天`, `N days`): the
/// writer did not say whether they are working or calendar days.
pub fn is_bare_days(text: &str) -> bool {
    let t = text.trim();
    matches!(
        parse(t),
        Ok(Duration {
            unit: Some(Unit::Calendar),
            ..
        })
    ) && !t.ends_with("自然日")
}

/// The PRC public-holiday calendar: which days are working days.
#[derive(Debug)]
pub struct Calendar {
    first: Date,
    last: Date,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
    /// Calendar-day bounds of N working days, computed on first use.
    bounds: Mutex<HashMap<u32, (u32, u32)>>,
    /// Working days counted from the day before `first`: entry `i` is how
    /// many of its first `i` days are working days. Made on first use, as
    /// long as the longest span asked for so far needs, and shared by every N.
    prefix: Mutex<Vec<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    first_year: i16,
    last_year: i16,
    #[serde(default)]
    year: Vec<CalendarYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarYear {
    #[allow(dead_code)]
    year: i16,
    #[allow(dead_code)]
    #[serde(default)]
    notice: String,
    #[serde(default)]
    holidays: Vec<TomlDate>,
    #[serde(default)]
    workdays: Vec<TomlDate>,
}

/// A date in a TOML file as anyone writes it: a TOML date (`2026-11-01`) or
/// the same in quotes; kept as its `YYYY-MM-DD` text, checked where it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlDate(pub String);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Toml(toml::value::Datetime),
        }
        match Raw::deserialize(d) {
            Ok(Raw::Text(s)) => Ok(TomlDate(s)),
            Ok(Raw::Toml(dt)) if dt.time.is_none() && dt.offset.is_none() => {
                Ok(TomlDate(dt.to_string()))
            }
            Ok(Raw::Toml(dt)) => Err(serde::de::Error::custom(format!(
                "`{dt}` 带有时刻：只写日期，如 2026-11-01"
            ))),
            Err(_) => Err(serde::de::Error::custom(
                "应为日期，如 2026-11-01 (expected a date)",
            )),
        }
    }
}

impl std::ops::Deref for TomlDate {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// The calendar shipped in the binary (2024–2026).
pub const BUILTIN_CALENDAR: &str = include_str!("../../data/holidays-cn.toml");

impl Calendar {
    pub fn builtin() -> Self {
        // The embedded file is checked by a unit test, so this cannot fail at run time.
        Self::from_toml(BUILTIN_CALENDAR).unwrap_or_else(|_| Self::weekends_only())
    }

    /// A calendar that knows weekends and nothing else.
    pub fn weekends_only() -> Self {
        let d = Date::constant(2024, 1, 1);
        Calendar {
            first: d,
            last: d,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
            bounds: Mutex::new(HashMap::new()),
            prefix: Mutex::new(Vec::new()),
        }
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Self> {
        let file: CalendarFile = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!("节假日日历格式错误：{}", e.message().replace('\n', " "))
        })?;
        if file.first_year > file.last_year {
            bail!("first_year 大于 last_year");
        }
        // Working-day spans are computed over every day the calendar covers.
        if !(1949..=2200).contains(&file.first_year)
            || !(1949..=2200).contains(&file.last_year)
            || file.last_year - file.first_year > 50
        {
            bail!(
                "日历年份须在 1949 至 2200 之间，且跨度不超过 50 年 (first_year {}, last_year {})",
                file.first_year,
                file.last_year
            );
        }
        let first = Date::new(file.first_year, 1, 1).context("first_year 超出范围")?;
        let last = Date::new(file.last_year, 12, 31).context("last_year 超出范围")?;
        let mut holidays = BTreeSet::new();
        let mut workdays = BTreeSet::new();
        for y in &file.year {
            for (list, set) in [(&y.holidays, &mut holidays), (&y.workdays, &mut workdays)] {
                for s in list {
                    let s = &s.0;
                    let d: Date = s.parse().with_context(|| format!("无效日期 `{s}`"))?;
                    if d < first || d > last {
                        bail!("日期 {s} 不在 {}–{} 年内", file.first_year, file.last_year);
                    }
                    set.insert(d);
                }
            }
        }
        if let Some(d) = holidays.intersection(&workdays).next() {
            bail!("{d} 既是放假日又是调休上班日");
        }
        Ok(Calendar {
            first,
            last,
            holidays,
            workdays,
            bounds: Mutex::new(HashMap::new()),
            prefix: Mutex::new(Vec::new()),
        })
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        if self.holidays.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// The date on which `n` working days counted from the day after `start` are done.
    pub fn add_working_days(&self, start: Date, n: u32) -> Option<Date> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.tomorrow().ok()?;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// Minimum and maximum calendar span of `n` working days over every receipt day
    /// the calendar covers, plus two weeks of weekends-only days after it.
    pub fn working_span(&self, n: u32) -> (u32, u32) {
        if n == 0 {
            return (0, 0);
        }
        if let Ok(cache) = self.bounds.lock() {
            if let Some(b) = cache.get(&n) {
                return *b;
            }
        }
        let b = self.compute_span(n);
        if let Ok(mut cache) = self.bounds.lock() {
            cache.insert(n, b);
        }
        b
    }

    fn compute_span(&self, n: u32) -> (u32, u32) {
        let start = self.first.yesterday().unwrap_or(self.first);
        let receipt_days = self.last.since(start).map_or(0, |s| s.get_days()) + 15;
        // Working-day flags for every day from `start`, long enough for the last receipt day.
        let len = receipt_days as usize + 2 * n as usize + 64;
        let mut shared = match self.prefix.lock() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        if shared.len() < len + 1 {
            *shared = self.count_working_days(start, len);
        }
        let prefix = &shared[..(len + 1).min(shared.len())];
        let mut lo = u32::MAX;
        let mut hi = 0;
        for s in 0..receipt_days as usize {
            // Days s+1..=j hold n working days: prefix[j+1] - prefix[s+1] >= n.
            let target = prefix[s + 1] + n;
            let j1 = prefix.partition_point(|&p| p < target);
            if j1 >= prefix.len() {
                continue;
            }
            let span = (j1 - 1 - s) as u32;
            lo = lo.min(span);
            hi = hi.max(span);
        }
        if lo == u32::MAX {
            let weekends = n + 2 * ((n - 1) / 5);
            return (weekends, weekends + 2);
        }
        (lo, hi)
    }

    /// Entry `i`: how many of the `len` days from `start` on, up to the
    /// `i`-th, are working days (fewer entries if the dates run out).
    fn count_working_days(&self, start: Date, len: usize) -> Vec<u32> {
        let mut prefix = Vec::with_capacity(len + 1);
        prefix.push(0u32);
        let mut day = start;
        for _ in 0..len {
            let w = u32::from(self.is_working_day(day));
            prefix.push(prefix[prefix.len() - 1] + w);
            match day.tomorrow() {
                Ok(t) => day = t,
                Err(_) => break,
            }
        }
        prefix
    }
}

/// Minimum and maximum calendar days in `n` calendar months, over every start
/// day of four consecutive years (a leap year among them): `一个月` from 31
/// January ends on the last day of February.
pub fn month_span(n: u32) -> (u32, u32) {
    static CACHE: Mutex<Option<HashMap<u32, (u32, u32)>>> = Mutex::new(None);
    if n == 0 {
        return (0, 0);
    }
    if let Ok(cache) = CACHE.lock() {
        if let Some(b) = cache.as_ref().and_then(|c| c.get(&n)) {
            return *b;
        }
    }
    let mut lo = u32::MAX;
    let mut hi = 0;
    let mut day = Date::constant(2023, 1, 1);
    let months = jiff::Span::new().months(i64::from(n));
    for _ in 0..(365 * 3 + 366) {
        if let Ok(end) = day.checked_add(months) {
            let days = end.since(day).map_or(0, |s| s.get_days());
            let days = u32::try_from(days).unwrap_or(0);
            lo = lo.min(days);
            hi = hi.max(days);
        }
        match day.tomorrow() {
            Ok(t) => day = t,
            Err(_) => break,
        }
    }
    let b = if lo == u32::MAX { (0, 0) } else { (lo, hi) };
    if let Ok(mut cache) = CACHE.lock() {
        cache.get_or_insert_with(HashMap::new).insert(n, b);
    }
    b
}

/// An amount of time as a sum of steps: exact per unit, plus calendar-day bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    pub working: u32,
    pub calendar: u32,
    /// Calendar months (a year counts twelve).
    pub months: u32,
    /// Lower and upper bound in calendar days.
    pub lo: u32,
    pub hi: u32,
}

impl Amount {
    pub fn of(d: Duration, cal: &Calendar) -> Self {
        let n = d.days;
        match d.unit {
            None => Amount::default(),
            Some(Unit::Calendar) => Amount {
                calendar: n,
                lo: n,
                hi: n,
                ..Amount::default()
            },
            Some(Unit::Working) => {
                let (lo, hi) = cal.working_span(n);
                Amount {
                    working: n,
                    lo,
                    hi,
                    ..Amount::default()
                }
            }
            Some(Unit::Month | Unit::Year) => {
                let months = if d.unit == Some(Unit::Year) {
                    n.saturating_mul(12)
                } else {
                    n
                };
                let (lo, hi) = month_span(months);
                Amount {
                    months,
                    lo,
                    hi,
                    ..Amount::default()
                }
            }
        }
    }

    pub fn is_zero(&self) -> bool {
        self.working == 0 && self.calendar == 0 && self.months == 0
    }

    /// The bounds of a sum of working days recomputed from its total: N
    /// working days in a row span exactly what `N` working days span, so a
    /// path of such steps is bounded by its total, not by the sum of each
    /// step's worst case. Amounts with other units keep their summed bounds
    /// (a calendar gap between two runs of working days can move the second
    /// run into another holiday).
    pub fn tightened(self, cal: &Calendar) -> Amount {
        if self.calendar > 0 || self.months > 0 {
            return self;
        }
        let (lo, hi) = cal.working_span(self.working);
        Amount { lo, hi, ..self }
    }

    pub fn plus(self, o: Amount) -> Amount {
        Amount {
            working: self.working.saturating_add(o.working),
            calendar: self.calendar.saturating_add(o.calendar),
            months: self.months.saturating_add(o.months),
            lo: self.lo.saturating_add(o.lo),
            hi: self.hi.saturating_add(o.hi),
        }
    }

    /// True when every part of `self` is at least that of `o`: `o` is never the longer.
    pub fn covers(&self, o: &Amount) -> bool {
        self.working >= o.working
            && self.calendar >= o.calendar
            && self.months >= o.months
            && self.lo >= o.lo
            && self.hi >= o.hi
    }

    fn scaled(self, k: u32) -> Amount {
        Amount {
            working: self.working.saturating_mul(k),
            calendar: self.calendar.saturating_mul(k),
            months: self.months.saturating_mul(k),
            lo: self.lo.saturating_mul(k),
            hi: self.hi.saturating_mul(k),
        }
    }

    /// The units this amount uses, as a bit set (working, calendar, months).
    fn units(&self) -> u8 {
        u8::from(self.working > 0)
            | u8::from(self.calendar > 0) << 1
            | u8::from(self.months > 0) << 2
    }

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.months > 0 {
            parts.push(format!("{}个月", self.months));
        }
        if self.working > 0 {
            parts.push(format!("{}个工作日", self.working));
        }
        if self.calendar > 0 {
            parts.push(format!("{}日", self.calendar));
        }
        if parts.is_empty() {
            "即办".to_string()
        } else {
            parts.join("+")
        }
    }

    pub fn bounds(&self) -> String {
        if self.lo == self.hi {
            format!("{}日", self.lo)
        } else {
            format!("{}–{}日", self.lo, self.hi)
        }
    }
}

/// The outcome of a comparison that may be undecidable without a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Certainly `a > b`.
    Exceeds,
    /// Certainly `a <= b`.
    Within,
    /// Depends on the starting date.
    Undecidable,
}

/// Is `a` longer than `b`? Exact in one unit; by calendar bounds across units.
pub fn exceeds(a: Amount, b: Amount) -> Verdict {
    exceeds_scaled(a, 1, b, 1)
}

/// Is `ka·a` longer than `kb·b`? (Used for "more than two thirds of".)
pub fn exceeds_scaled(a: Amount, ka: u32, b: Amount, kb: u32) -> Verdict {
    let (a, b) = (a.scaled(ka), b.scaled(kb));
    // In one unit (or none) the amounts compare exactly.
    let units = a.units() | b.units();
    if units.count_ones() <= 1 {
        let (x, y) = match units {
            1 => (a.working, b.working),
            2 => (a.calendar, b.calendar),
            4 => (a.months, b.months),
            _ => (0, 0),
        };
        return if x > y {
            Verdict::Exceeds
        } else {
            Verdict::Within
        };
    }
    if a.lo > b.hi {
        Verdict::Exceeds
    } else if a.hi <= b.lo {
        Verdict::Within
    } else {
        Verdict::Undecidable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_of_the_spec() {
        for (s, d) in [
            ("15个工作日", Duration::working(15)),
            ("15工作日", Duration::working(15)),
            ("3 working days", Duration::working(3)),
            ("30日", Duration::calendar(30)),
            ("30天", Duration::calendar(30)),
            ("30自然日", Duration::calendar(30)),
            ("7 days", Duration::calendar(7)),
            ("即办", Duration::INSTANT),
            ("当场", Duration::INSTANT),
            (" 5 日 ", Duration::calendar(5)),
            ("10个自然日", Duration::calendar(10)),
            ("三个月", Duration::months(3)),
            ("3月", Duration::months(3)),
            ("1年", Duration::years(1)),
            ("二十个工作日", Duration::working(20)),
            ("三日", Duration::calendar(3)),
            ("十五日", Duration::calendar(15)),
            ("一百八十日", Duration::calendar(180)),
            ("两个月", Duration::months(2)),
        ] {
            assert_eq!(parse(s), Ok(d), "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for s in [
            "",
            "3",
            "3.5日",
            "3十日",
            "三十三十x日",
            "-3日",
            "3周",
            "3 months",
            "日",
            "即办3日",
            "99999999999日",
        ] {
            let err = parse(s).expect_err(s);
            assert!(err.contains(s.trim()) || s.is_empty(), "{err}");
        }
    }

    #[test]
    fn builtin_calendar_loads_and_knows_the_spring_festival() {
        let cal = Calendar::from_toml(BUILTIN_CALENDAR).expect("builtin calendar");
        assert!(!cal.is_working_day(Date::constant(2024, 2, 12)));
        assert!(
            cal.is_working_day(Date::constant(2024, 2, 4)),
            "调休 Sunday"
        );
        assert!(!cal.is_working_day(Date::constant(2026, 2, 23)));
        assert!(
            cal.is_working_day(Date::constant(2026, 2, 28)),
            "调休 Saturday"
        );
        assert!(
            !cal.is_working_day(Date::constant(2027, 1, 2)),
            "weekend past the calendar"
        );
        // Received on 2025-01-27 (Monday); 1 working day ends on 2025-02-05.
        assert_eq!(
            cal.add_working_days(Date::constant(2025, 1, 27), 1),
            Some(Date::constant(2025, 2, 5))
        );
    }

    #[test]
    fn working_span_bounds() {
        let weekends = Calendar::weekends_only();
        for n in 1..30 {
            let (lo, _) = weekends.working_span(n);
            assert_eq!(lo, n + 2 * ((n - 1) / 5), "n = {n}");
        }
        let cal = Calendar::builtin();
        // 调休 makes six working days in a row possible (2024-02-04 to 2024-02-09).
        assert_eq!(cal.working_span(6).0, 6);
        // The Spring Festival stretches one working day across nine calendar days.
        assert!(cal.working_span(1).1 >= 9);
        assert_eq!(cal.working_span(0), (0, 0));
    }

    #[test]
    fn comparisons_never_guess() {
        let cal = Calendar::builtin();
        let wd = |n| Amount::of(Duration::working(n), &cal);
        let cd = |n| Amount::of(Duration::calendar(n), &cal);
        assert_eq!(exceeds(wd(20), wd(15)), Verdict::Exceeds);
        assert_eq!(exceeds(wd(15), wd(15)), Verdict::Within);
        assert_eq!(exceeds(cd(31), cd(30)), Verdict::Exceeds);
        // 20 working days always take more than 20 calendar days.
        assert_eq!(exceeds(wd(20), cd(20)), Verdict::Exceeds);
        // 5 working days never take more than 30 calendar days.
        assert_eq!(exceeds(wd(5), cd(30)), Verdict::Within);
        // 20 working days against 30 calendar days depends on the start date.
        assert_eq!(exceeds(wd(20), cd(30)), Verdict::Undecidable);
        // Two thirds of 30 working days is 20: 20 is within, 21 exceeds.
        assert_eq!(exceeds_scaled(wd(20), 3, wd(30), 2), Verdict::Within);
        assert_eq!(exceeds_scaled(wd(21), 3, wd(30), 2), Verdict::Exceeds);
        let instant = Amount::of(Duration::INSTANT, &cal);
        assert_eq!(exceeds(instant, wd(1)), Verdict::Within);
        assert_eq!(exceeds(wd(1), instant), Verdict::Exceeds);
        // Months compare with months exactly, with days by their bounds.
        let mo = |n| Amount::of(Duration::months(n), &cal);
        assert_eq!(exceeds(mo(3), mo(2)), Verdict::Exceeds);
        assert_eq!(exceeds(mo(1), cd(31)), Verdict::Within);
        assert_eq!(exceeds(mo(1), cd(27)), Verdict::Exceeds);
        assert_eq!(exceeds(mo(1), cd(30)), Verdict::Undecidable);
        assert_eq!(month_span(1), (28, 31));
        assert_eq!(month_span(12), (365, 366));
        assert_eq!(
            Amount::of(Duration::years(1), &cal),
            mo(12),
            "a year is twelve months"
        );
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十五"), Some(15));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("九十"), Some(90));
        assert_eq!(chinese_number("一百零五"), Some(105));
        assert_eq!(chinese_number("x"), None);
        assert!(is_bare_days("5日") && is_bare_days("五天"));
        assert!(!is_bare_days("5个自然日") && !is_bare_days("5个工作日") && !is_bare_days("3个月"));
    }
}
