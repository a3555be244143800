package forms

import "strings"

// kind is what a layout element is to this channel.
type kind int

const (
	kindNone kind = iota
	kindLabel
	kindTextEntry
	kindTextInputLayout
	kindSpinner
	kindCheckBox
	kindRadioButton
	kindRadioGroup
	kindSwitch
	kindToggle
	kindPicker
	kindSlider
)

// compound reports whether the widget is a button with its own text (a
// check box, radio button, switch), whose id usually restates that text.
func (k kind) compound() bool {
	return k == kindCheckBox || k == kindRadioButton || k == kindSwitch || k == kindToggle
}

// suffixKinds classifies widgets by the end of their simple class name, so
// that library and custom subclasses (AppCompatEditText,
// TextInputEditText, MaterialCheckBox, com.example.ClearableEditText) count.
// Longer suffixes come first.
var suffixKinds = []struct {
	suffix string
	kind   kind
}{
	{"MultiAutoCompleteTextView", kindTextEntry},
	{"AutoCompleteTextView", kindTextEntry},
	{"TextInputLayout", kindTextInputLayout},
	{"EditText", kindTextEntry},
	{"Spinner", kindSpinner},
	{"CheckBox", kindCheckBox},
	{"RadioButton", kindRadioButton},
	{"RadioGroup", kindRadioGroup},
	{"SwitchCompat", kindSwitch},
	{"SwitchMaterial", kindSwitch},
	{"Switch", kindSwitch},
	{"ToggleButton", kindToggle},
	{"DatePicker", kindPicker},
	{"TimePicker", kindPicker},
	{"NumberPicker", kindPicker},
	{"RatingBar", kindSlider},
	{"SeekBar", kindSlider},
}

// prefilter holds substrings one of which a layout's string pool must
// contain to hold a widget: every suffix above is covered.
var prefilter = []string{"EditText", "AutoComplete", "TextInputLayout", "Spinner", "CheckBox", "Radio", "Switch", "ToggleButton", "Picker", "RatingBar", "SeekBar"}

// simpleName returns a class name without its package or outer classes.
func simpleName(class string) string {
	if i := strings.LastIndexAny(class, ".$"); i >= 0 {
		return class[i+1:]
	}
	return class
}

// classify tells widgets, labels and everything else apart by class name.
func classifyClass(class string) kind {
	s := simpleName(class)
	for _, sk := range suffixKinds {
		if strings.HasSuffix(s, sk.suffix) {
			return sk.kind
		}
	}
	// Only plain text views label a field: CheckedTextView is a list item,
	// and the text entries above were matched already.
	if strings.HasSuffix(s, "TextView") && !strings.HasSuffix(s, "CheckedTextView") {
		return kindLabel
	}
	return kindNone
}
