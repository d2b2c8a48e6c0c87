//! `powerlist schema`: the JSON Schema of one power file, for editors (the YAML
//! language server shows each field's Chinese description on hover).

use serde_json::Value;

use crate::config::Settings;
use crate::model::Power;

/// Where SPEC §1.1's example points its `# yaml-language-server: $schema=` line.
pub const SCHEMA_ID: &str = "https://powerlist.invalid/power.schema.json";

/// The schema of a power; the category list includes `settings`' extra categories.
pub fn power_schema(settings: &Settings) -> Value {
    let mut v = serde_json::to_value(schemars::schema_for!(Power)).unwrap_or_default();
    v["$id"] = Value::from(SCHEMA_ID);
    v["title"] = Value::from("行政职权 (powerlist power)");
    v["description"] = Value::from(
        "一项行政职权：设定依据、实施主体、运行流程、时限、风险与监督。见 powerlist 的 SPEC §1.1。",
    );
    let values: Vec<Value> = settings
        .categories
        .iter()
        .flat_map(|(n, c)| [Value::from(n.as_str()), Value::from(c.as_str())])
        .collect();
    if let Some(cat) = v.pointer_mut("/$defs/CategoryName") {
        cat["enum"] = Value::Array(values);
    }
    v
}

/// The schema as pretty JSON text with a final newline.
pub fn render(settings: &Settings) -> String {
    let mut text = serde_json::to_string_pretty(&power_schema(settings)).unwrap_or_default();
    text.push('\n');
    text
}
