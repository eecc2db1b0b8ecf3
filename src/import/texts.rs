//! The words of a starter question file in each language the catalogue can analyse (en, de,
//! fr, es, it, nl, pt): question texts for well-known facets, labels for Google's enumerated
//! values, price band labels. Editors rewrite them; they only have to be correct and short.

/// Languages with a stemmer (see `src/catalog/config/mod.rs`), in the order of the tables below.
pub const LANGUAGES: [&str; 7] = ["en", "de", "fr", "es", "it", "nl", "pt"];

type Row = [&'static str; 7];

// The tables below keep one language per column (en, de, fr, es, it, nl, pt).

#[rustfmt::skip]
const TITLE: Row = ["Find the right product", "Finde das passende Produkt", "Trouvez le bon produit", "Encuentra el producto adecuado", "Trova il prodotto giusto", "Vind het juiste product", "Encontre o produto certo"];
#[rustfmt::skip]
const NOUN_ONE: Row = ["product", "Produkt", "produit", "producto", "prodotto", "product", "produto"];
#[rustfmt::skip]
const NOUN_OTHER: Row = ["products", "Produkte", "produits", "productos", "prodotti", "producten", "produtos"];
#[rustfmt::skip]
const NO_PREFERENCE: Row = ["Doesn't matter", "Egal", "Peu importe", "Me da igual", "Non importa", "Maakt niet uit", "Tanto faz"];
#[rustfmt::skip]
const CHEAPER: Row = ["Cheaper", "Günstiger", "Moins cher", "Más barato", "Più economico", "Goedkoper", "Mais barato"];
#[rustfmt::skip]
const BUDGET: Row = ["How much would you like to spend?", "Wie viel möchtest du ausgeben?", "Combien voulez-vous dépenser ?", "¿Cuánto quieres gastar?", "Quanto vuoi spendere?", "Hoeveel wil je uitgeven?", "Quanto você quer gastar?"];
#[rustfmt::skip]
const UNDER: Row = ["Under {}", "Unter {}", "Moins de {}", "Menos de {}", "Meno di {}", "Onder {}", "Menos de {}"];
#[rustfmt::skip]
const BETWEEN: Row = ["{} to {}", "{} bis {}", "{} à {}", "{} a {}", "da {} a {}", "{} tot {}", "{} a {}"];
#[rustfmt::skip]
const OR_MORE: Row = ["{} or more", "{} oder mehr", "{} ou plus", "{} o más", "{} o più", "{} of meer", "{} ou mais"];

/// Question texts of facets the importer knows.
#[rustfmt::skip]
const QUESTIONS: [(&[&str], Row); 12] = [
    (&["product_type_1", "category_1", "product_type"], ["What are you looking for?", "Was suchst du?", "Que cherchez-vous ?", "¿Qué estás buscando?", "Cosa stai cercando?", "Waar ben je naar op zoek?", "O que você está procurando?"]),
    (&["product_type_2", "category_2"], ["Which kind exactly?", "Welche Art genau?", "Quel type exactement ?", "¿Qué tipo exactamente?", "Quale tipo esattamente?", "Welk soort precies?", "Que tipo exatamente?"]),
    (&["product_type_3", "category_3"], ["And more precisely?", "Und genauer?", "Et plus précisément ?", "¿Y más concretamente?", "E più precisamente?", "En preciezer?", "E mais precisamente?"]),
    (&["gender"], ["Who is it for?", "Für wen ist es?", "C'est pour qui ?", "¿Para quién es?", "Per chi è?", "Voor wie is het?", "Para quem é?"]),
    (&["age_group"], ["For which age?", "Für welches Alter?", "Pour quel âge ?", "¿Para qué edad?", "Per quale età?", "Voor welke leeftijd?", "Para qual idade?"]),
    (&["color"], ["Which colour do you like?", "Welche Farbe gefällt dir?", "Quelle couleur préférez-vous ?", "¿Qué color prefieres?", "Quale colore preferisci?", "Welke kleur wil je?", "Qual cor você prefere?"]),
    (&["size"], ["Which size do you need?", "Welche Größe brauchst du?", "Quelle taille vous faut-il ?", "¿Qué talla necesitas?", "Che taglia ti serve?", "Welke maat heb je nodig?", "Qual tamanho você precisa?"]),
    (&["brand"], ["Any favourite brand?", "Hast du eine Lieblingsmarke?", "Une marque préférée ?", "¿Alguna marca favorita?", "Una marca preferita?", "Een favoriet merk?", "Alguma marca favorita?"]),
    (&["material"], ["Which material?", "Welches Material?", "Quelle matière ?", "¿Qué material?", "Quale materiale?", "Welk materiaal?", "Qual material?"]),
    (&["pattern"], ["Which pattern?", "Welches Muster?", "Quel motif ?", "¿Qué estampado?", "Quale fantasia?", "Welk patroon?", "Qual padrão?"]),
    (&["condition"], ["New or used?", "Neu oder gebraucht?", "Neuf ou d'occasion ?", "¿Nuevo o usado?", "Nuovo o usato?", "Nieuw of gebruikt?", "Novo ou usado?"]),
    (&["tags"], ["What matters to you?", "Was ist dir wichtig?", "Qu'est-ce qui compte pour vous ?", "¿Qué es importante para ti?", "Cosa ti interessa?", "Wat vind je belangrijk?", "O que é importante para você?"]),
];

/// Labels of Google's enumerated values (`gender`, `age_group`, `condition`).
#[rustfmt::skip]
const VALUES: [(&str, &str, Row); 11] = [
    ("gender", "male", ["Men", "Herren", "Hommes", "Hombre", "Uomo", "Heren", "Masculino"]),
    ("gender", "female", ["Women", "Damen", "Femmes", "Mujer", "Donna", "Dames", "Feminino"]),
    ("gender", "unisex", ["Unisex", "Unisex", "Unisexe", "Unisex", "Unisex", "Uniseks", "Unissex"]),
    ("age_group", "adult", ["Adults", "Erwachsene", "Adultes", "Adultos", "Adulti", "Volwassenen", "Adultos"]),
    ("age_group", "kids", ["Kids", "Kinder", "Enfants", "Niños", "Bambini", "Kinderen", "Crianças"]),
    ("age_group", "toddler", ["Toddlers", "Kleinkinder", "Tout-petits", "Niños pequeños", "Bambini piccoli", "Peuters", "Crianças pequenas"]),
    ("age_group", "infant", ["Babies", "Babys", "Nourrissons", "Bebés", "Lattanti", "Baby's", "Bebês"]),
    ("age_group", "newborn", ["Newborns", "Neugeborene", "Nouveau-nés", "Recién nacidos", "Neonati", "Pasgeborenen", "Recém-nascidos"]),
    ("condition", "new", ["New", "Neu", "Neuf", "Nuevo", "Nuovo", "Nieuw", "Novo"]),
    ("condition", "used", ["Used", "Gebraucht", "D'occasion", "Usado", "Usato", "Gebruikt", "Usado"]),
    ("condition", "refurbished", ["Refurbished", "Generalüberholt", "Reconditionné", "Reacondicionado", "Ricondizionato", "Refurbished", "Recondicionado"]),
];

/// The words of one language.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    index: usize,
}

impl Texts {
    /// `None` for a language without a stemmer.
    pub fn new(language: &str) -> Option<Self> {
        LANGUAGES
            .iter()
            .position(|l| *l == language)
            .map(|index| Self { index })
    }

    pub fn code(self) -> &'static str {
        LANGUAGES[self.index]
    }

    pub fn title(self) -> &'static str {
        TITLE[self.index]
    }

    pub fn noun(self) -> (&'static str, &'static str) {
        (NOUN_ONE[self.index], NOUN_OTHER[self.index])
    }

    pub fn no_preference(self) -> &'static str {
        NO_PREFERENCE[self.index]
    }

    pub fn cheaper(self) -> &'static str {
        CHEAPER[self.index]
    }

    pub fn budget(self) -> &'static str {
        BUDGET[self.index]
    }

    /// The question for a facet: a known text, else one built from its name.
    pub fn question(self, facet: &str) -> String {
        if let Some((_, row)) = QUESTIONS.iter().find(|(names, _)| names.contains(&facet)) {
            return row[self.index].to_string();
        }
        let words = facet.replace('_', " ");
        let mut chars = words.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        match self.code() {
            "en" => format!("Which {words}?"),
            _ => format!("{capital}?"),
        }
    }

    /// The label of a known enumerated value (`gender: male` → "Men").
    pub fn value(self, facet: &str, value: &str) -> Option<&'static str> {
        VALUES
            .iter()
            .find(|(f, v, _)| *f == facet && v.eq_ignore_ascii_case(value))
            .map(|(_, _, row)| row[self.index])
    }

    /// A price band's label: below `max`, from `min` to `max`, or `min` and more.
    pub fn band(self, min: Option<f64>, max: Option<f64>, currency: &str) -> String {
        let money = |amount: f64| self.money(amount, currency);
        match (min, max) {
            (None, Some(max)) => UNDER[self.index].replacen("{}", &money(max), 1),
            (Some(min), Some(max)) => {
                BETWEEN[self.index]
                    .replacen("{}", &money(min), 1)
                    .replacen("{}", &money(max), 1)
            }
            (Some(min), None) => OR_MORE[self.index].replacen("{}", &money(min), 1),
            (None, None) => String::new(),
        }
    }

    /// `$20`, `20 €`, `2,50 €`: English puts common symbols first and uses a decimal point.
    fn money(self, amount: f64, currency: &str) -> String {
        let number = if amount.fract() == 0.0 {
            format!("{amount:.0}")
        } else if self.code() == "en" {
            format!("{amount:.2}")
        } else {
            format!("{amount:.2}").replace('.', ",")
        };
        let symbol = match currency {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            other => other,
        };
        if self.code() == "en" && symbol.chars().count() == 1 {
            format!("{symbol}{number}")
        } else {
            format!("{number} {symbol}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_words() {
        for code in LANGUAGES {
            let texts = Texts::new(code).expect("a language");
            assert!(!texts.title().is_empty() && !texts.budget().is_empty());
            assert!(texts.question("color").ends_with('?'));
        }
        assert!(Texts::new("xx").is_none());
    }

    #[test]
    fn price_bands_read_naturally() {
        let en = Texts::new("en").expect("en");
        let de = Texts::new("de").expect("de");
        assert_eq!(en.band(None, Some(20.0), "USD"), "Under $20");
        assert_eq!(en.band(Some(20.0), Some(50.0), "EUR"), "€20 to €50");
        assert_eq!(de.band(Some(2.5), None, "EUR"), "2,50 € oder mehr");
        assert_eq!(en.band(Some(100.0), None, "CHF"), "100 CHF or more");
    }

    #[test]
    fn known_values_and_facets_get_translated_words() {
        let de = Texts::new("de").expect("de");
        assert_eq!(de.value("gender", "Female"), Some("Damen"));
        assert_eq!(de.question("gender"), "Für wen ist es?");
        assert_eq!(
            Texts::new("en")
                .map(|t| t.question("sleeve_length"))
                .as_deref(),
            Some("Which sleeve length?")
        );
        assert_eq!(de.question("sleeve_length"), "Sleeve length?");
    }
}
