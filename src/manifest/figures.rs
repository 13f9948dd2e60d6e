//! Does a figure's value say exactly what its quote says? The quantities of a quote,
//! whole numbers with their qualifiers, and the rule a value must meet against them.
//!
//! A value must equal one whole quantity of the quote: never part of a longer number
//! (`12` in 126支), never without its qualifier (`3400` for 3400余件), and the figure's
//! unit must follow it in the quote.

/// Qualifiers that may stand before a number and change what it claims (约3000, 近百).
const PREFIXES: [char; 4] = ['约', '近', '超', '逾'];
/// Characters of a number written in Chinese (五, 十余, 百余, 两千).
const CHINESE_DIGITS: &str = "〇零一二两三四五六七八九十百千万亿";
/// What may follow the digits of a number: 余/多, magnitudes, per cent.
const SUFFIXES: &str = "余多十百千万亿%％";

/// One quantity in a quote, e.g. `近3000余` with the text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// Qualifier before the number, if any (约, 近, 超, 逾).
    pub prefix: Option<char>,
    /// The number alone: `3400`, `3.5`, `百`.
    pub number: String,
    /// The number with what follows it: `3400余`, `3.5万`, `85%`, `百余`.
    pub core: String,
    /// The quote after the quantity.
    pub rest: String,
}

impl Quantity {
    /// The value as it should be written: the qualifier, the number and its suffixes.
    pub fn written(&self) -> String {
        match self.prefix {
            Some(p) => format!("{p}{}", self.core),
            None => self.core.clone(),
        }
    }
}

/// Every quantity in a quote, in order.
pub fn quantities(quote: &str) -> Vec<Quantity> {
    let chars: Vec<char> = quote.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let arabic = c.is_ascii_digit();
        let chinese = CHINESE_DIGITS.contains(c);
        if !arabic && !chinese {
            i += 1;
            continue;
        }
        let start = i;
        if arabic {
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == '.' || chars[i] == ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
        } else {
            while i < chars.len() && CHINESE_DIGITS.contains(chars[i]) {
                i += 1;
            }
        }
        let number_end = i;
        while i < chars.len() && SUFFIXES.contains(chars[i]) {
            i += 1;
        }
        let prefix = start.checked_sub(1).map(|p| chars[p]).filter(|p| PREFIXES.contains(p));
        out.push(Quantity {
            prefix,
            number: chars[start..number_end].iter().collect(),
            core: chars[start..i].iter().collect(),
            rest: chars[i..].iter().collect(),
        });
    }
    out
}

/// Checks a value against its quote. `Err` carries the hint: what the quote says.
///
/// What prints, value then unit, must be the quote's text from the start of one whole
/// quantity (its qualifier included), and must cover that quantity: `3400余` + `件`, or
/// `500` + `万元` for 500万元, but never `12` for 126 nor `3400` + `件` for 3400余件.
pub fn check_value(value: &str, unit: &str, quote: &str) -> Result<(), String> {
    let value = value.trim();
    let unit = unit.trim();
    let all = quantities(quote);
    let printed = format!("{value}{unit}");
    let whole = |q: &Quantity| {
        let from_here = format!("{}{}", q.written(), q.rest);
        let head = match q.prefix {
            Some(p) => format!("{p}{}", q.number),
            None => q.number.clone(),
        };
        value.starts_with(&head)
            && from_here.starts_with(&printed)
            && printed.chars().count() >= q.written().chars().count()
    };
    let spaced = |q: &Quantity| {
        // The quote may put a space between the number and its unit.
        value == q.written() && q.rest.trim_start().starts_with(unit)
    };
    if all.iter().any(|q| whole(q) || spaced(q)) {
        return Ok(());
    }
    let follows = |q: &Quantity| unit.is_empty() || q.rest.trim_start().starts_with(unit);
    let matches = |q: &Quantity| q.written() == value;
    let says = |q: &Quantity| {
        let unit_part = if follows(q) { unit } else { "" };
        format!("the quote says {}{unit_part}: value \"{}\"", q.written(), q.written())
    };
    if let Some(q) = all.iter().find(|q| matches(q)) {
        return Err(format!(
            "in the quote, {} is not followed by the unit `{unit}`; the unit must follow the value",
            q.written()
        ));
    }
    // Suggest the quantity the value most likely meant: one the unit follows, sharing
    // the value's digits; otherwise the first one the unit follows; otherwise the first.
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let vd = digits(value);
    let best = all
        .iter()
        .filter(|q| follows(q))
        .find(|q| !vd.is_empty() && digits(&q.core).starts_with(&vd))
        .or_else(|| all.iter().find(|q| follows(q)))
        .or_else(|| all.first());
    Err(match best {
        Some(q) => says(q),
        None => "the quote has no number; quote the fragment that states the figure".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_of_a_longer_number_is_refused() {
        assert_eq!(
            check_value("12", "支", "全县已组建红色代办队伍126支"),
            Err("the quote says 126支: value \"126\"".into())
        );
        assert_eq!(check_value("126", "支", "全县已组建红色代办队伍126支"), Ok(()));
    }

    #[test]
    fn qualifiers_belong_to_the_value() {
        assert_eq!(
            check_value("3400", "件", "共受理3400余件"),
            Err("the quote says 3400余件: value \"3400余\"".into())
        );
        assert_eq!(check_value("3400余", "件", "共受理3400余件"), Ok(()));
        assert_eq!(check_value("百余", "场次", "举办宣讲活动百余场次"), Ok(()));
        assert_eq!(check_value("十余", "个", "建成十余个"), Ok(()));
        assert_eq!(check_value("3.5万", "人", "服务3.5万人"), Ok(()));
        assert_eq!(check_value("85%", "", "覆盖率达85%"), Ok(()));
        assert_eq!(
            check_value("3000", "名", "全县近3000名党员"),
            Err("the quote says 近3000名: value \"近3000\"".into())
        );
        assert_eq!(check_value("近3000", "名", "全县近3000名党员"), Ok(()));
        assert!(check_value("约3000", "名", "全县3000名党员").is_err());
        assert_eq!(check_value("五", "支", "等五支工作队"), Ok(()));
        // A magnitude or per cent may belong to the unit instead.
        assert_eq!(check_value("500", "万元", "投入资金500万元"), Ok(()));
        assert_eq!(check_value("95", "%", "覆盖率达到95%"), Ok(()));
        assert_eq!(check_value("12", "个", "党群服务站 12 个"), Ok(()));
        assert!(check_value("3400", "件", "共受理3400余件").is_err());
    }

    #[test]
    fn the_unit_must_follow() {
        assert_eq!(
            check_value("44", "个", "29名县级领导包联45个示范点"),
            Err("the quote says 45个: value \"45\"".into())
        );
        assert!(check_value("45", "名", "45个示范点").unwrap_err().contains("not followed"));
    }
}
