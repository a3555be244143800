package forms

import (
	"appxray/knowledge"
	"strings"
)

// attrAutofillHints is android.R.attr.autofillHints.
const attrAutofillHints = 0x01010556

// autofillCategory maps an autofill hint to the category of what the field
// takes: Android's View.AUTOFILL_HINT_* and androidx HintConstants values
// ("emailAddress", "personGivenName", "birthDateFull"…) and the tokens of
// an HTML autocomplete attribute ("email", "given-name", "bday"…). Unknown
// hints map to "".
func autofillCategory(hint string) knowledge.Category {
	h := strings.ToLower(strings.TrimSpace(hint))
	h = strings.TrimPrefix(h, "autofill_hint_")
	switch {
	case h == "emailaddress" || h == "email":
		return knowledge.PersonEmail
	case h == "name" || strings.HasPrefix(h, "personname") || strings.HasPrefix(h, "persongivenname") ||
		strings.HasPrefix(h, "personfamilyname") || strings.HasPrefix(h, "personmiddle") ||
		h == "given-name" || h == "family-name" || h == "additional-name" || h == "nickname" ||
		h == "honorific-prefix" || h == "honorific-suffix":
		return knowledge.PersonName
	case h == "username" || h == "newusername" || h == "password" || h == "newpassword" ||
		h == "current-password" || h == "new-password" || h == "one-time-code" ||
		strings.HasPrefix(h, "smsotpcode") || h == "emailotpcode" || h == "2faappotpcode":
		return knowledge.PersonCredentials
	case h == "phone" || strings.HasPrefix(h, "phonenumber") || h == "phonenational" || h == "phonecountrycode" ||
		h == "tel" || strings.HasPrefix(h, "tel-"):
		return knowledge.PersonPhoneNumber
	case strings.HasPrefix(h, "postaladdress") || h == "postalcode" || h == "extendedpostalcode" ||
		h == "streetaddress" || h == "extendedaddress" || h == "aptnumber" || h == "dependentlocality" ||
		strings.HasPrefix(h, "address") || h == "street-address" || h == "postal-code":
		return knowledge.PersonAddress
	case strings.HasPrefix(h, "creditcard") || strings.HasPrefix(h, "cc-") || h == "giftcardnumber" || h == "upivpa":
		return knowledge.PersonFinance
	case strings.HasPrefix(h, "birthdate") || strings.HasPrefix(h, "bday"):
		return knowledge.PersonBirth
	case h == "gender" || h == "sex":
		return knowledge.PersonGender
	case h == "organization" || h == "organization-title":
		return knowledge.PersonWorkEducation
	}
	return ""
}

// autofillMatches turns a list of hints ("phone,emailAddress" or the
// space-separated tokens of an HTML autocomplete) into matches.
func autofillMatches(hints string) []Match {
	var out []Match
	for _, h := range strings.FieldsFunc(hints, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if c := autofillCategory(h); c != "" {
			out = append(out, Match{Category: c, Term: h, Lang: "autofill", Strong: true, Source: "autofillHints"})
		}
	}
	return out
}
