package permissions

import (
	"slices"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
)

func TestDecide(t *testing.T) {
	r := &Result{uses: map[knowledge.Category]*Use{
		knowledge.DeviceContacts: {Own: "classes.dex La;->b()V"},
		knowledge.DeviceLocation: {SDKs: []string{"AdMob"}},
	}, weakOwn: map[knowledge.Category]string{
		// The app's own code gets the shared storage path, then writes
		// with plain file I/O that no rule sees: not proof of use, nor of
		// disuse.
		knowledge.DeviceFiles:    "classes.dex La;->c()V",
		knowledge.DeviceContacts: "classes.dex La;->d()V",
	}}
	for _, c := range []struct {
		cats       []knowledge.Category
		fact, want string
		why        string
	}{
		{[]knowledge.Category{knowledge.DeviceContacts}, "", Used, "La;->b()V"},
		{[]knowledge.Category{knowledge.DeviceLocation}, "", Unused, "AdMob"},
		{[]knowledge.Category{knowledge.DeviceCamera}, "", Unused, "never calls"},
		{[]knowledge.Category{knowledge.DeviceFiles}, "", Unknown, "do not prove the permission's use: classes.dex La;->c()V"},
		{[]knowledge.Category{knowledge.DeviceCamera, knowledge.DeviceFiles}, "", Unknown, "only by APIs"},
		{[]knowledge.Category{knowledge.BehaviourBoot}, "the manifest declares receiver .Boot", Used, "receiver .Boot"},
		{nil, "", Unknown, "no category"},
	} {
		got, why := r.decide(c.cats, c.fact)
		if got != c.want || !strings.Contains(why, c.why) {
			t.Errorf("decide(%v, %q) = %s (%s), want %s (…%s…)", c.cats, c.fact, got, why, c.want, c.why)
		}
	}
	// Code that cannot be seen leaves an unreached permission unknown, not unused.
	r.Hidden = "the app's code is packed (Jiagu)"
	if got, why := r.decide([]knowledge.Category{knowledge.DeviceCamera}, ""); got != Unknown || !strings.Contains(why, "packed") {
		t.Errorf("hidden code: %s (%s), want unknown", got, why)
	}
	if got, _ := r.decide([]knowledge.Category{knowledge.DeviceContacts}, ""); got != Used {
		t.Errorf("hidden code, reached category: %s, want used", got)
	}
}

// An implied permission carries the reason Android grants it, and is not
// said to be requested; info.Permissions, as app.Info fills it, already
// holds it beside the requested ones.
func TestPermissionListImplied(t *testing.T) {
	const (
		write = "android.permission.WRITE_EXTERNAL_STORAGE"
		read  = "android.permission.READ_EXTERNAL_STORAGE"
		phone = "android.permission.READ_PHONE_STATE"
		inet  = "android.permission.INTERNET"
	)
	info := &app.Info{
		Permissions:     []string{inet, phone, read, write},
		PermissionLines: map[string]int{inet: 3, phone: 4, write: 5},
		ImpliedPermissions: []app.ImpliedPermission{
			{Name: read, Reason: "requested WRITE_EXTERNAL_STORAGE", From: write},
			// A rule that names a permission the manifest also requests
			// does not make the request an implication.
			{Name: phone, Reason: "targetSdkVersion < 4"},
		},
	}
	got := permissionList(info)
	want := []listed{{inet, ""}, {phone, ""}, {read, "requested WRITE_EXTERNAL_STORAGE"}, {write, ""}}
	if !slices.Equal(got, want) {
		t.Errorf("permissionList:\n got %q\nwant %q", got, want)
	}
	// An Info whose Permissions lacks the implied ones still lists them.
	info.Permissions = []string{inet, phone, write}
	got = permissionList(info)
	want = []listed{{inet, ""}, {phone, ""}, {write, ""}, {read, "requested WRITE_EXTERNAL_STORAGE"}}
	if !slices.Equal(got, want) {
		t.Errorf("permissionList without implied in Permissions:\n got %q\nwant %q", got, want)
	}
}

// The parity test app requests WRITE_EXTERNAL_STORAGE, so Android grants
// it READ_EXTERNAL_STORAGE: its detail says why, with no manifest line.
func TestImpliedParityApp(t *testing.T) {
	path := corpus.File(t, ".corpus/testapps/parity.apk")
	res := testapp.Run(t, path, Analyzer)
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no permissions result")
	}
	read, ok := r.Detail("android.permission.READ_EXTERNAL_STORAGE")
	if !ok || read.Implied != "requested WRITE_EXTERNAL_STORAGE" || read.Line != 0 {
		t.Errorf("READ_EXTERNAL_STORAGE: %+v, want implied by WRITE_EXTERNAL_STORAGE, no line", read)
	}
	write, ok := r.Detail("android.permission.WRITE_EXTERNAL_STORAGE")
	if !ok || write.Implied != "" || write.Line != 15 {
		t.Errorf("WRITE_EXTERNAL_STORAGE: %+v, want requested at line 15", write)
	}
	implied := 0
	for _, d := range r.Details {
		if d.Implied != "" {
			implied++
		}
	}
	if implied != 1 {
		t.Errorf("%d implied permissions, want 1: %+v", implied, r.Details)
	}
}

// A permission an API rule names as the one that opens it counts as used
// by that API: PJAPPS reads the serving cell tower (device.network) with
// ACCESS_COARSE_LOCATION, while only its ad SDKs ask for the location.
func TestPermissionOpenedByRule(t *testing.T) {
	p := corpus.File(t, "../shared/corpus-dev/PJAPPS/9A065ACDA242887EA1D384DCA8E1F79E.apk")
	res := testapp.Run(t, p, Analyzer)
	r, _ := analysis.Get[*Result](res, Analyzer)
	d, ok := r.Detail("android.permission.ACCESS_COARSE_LOCATION")
	if !ok || d.Status != Used || !strings.Contains(d.Why, "StringUtil;->getJuZhanInfo") {
		t.Errorf("ACCESS_COARSE_LOCATION: %+v, want used by getJuZhanInfo", d)
	}
	if u := r.Reached(knowledge.DeviceLocation); u == nil || u.Own != "" {
		t.Errorf("device.location reached %+v, want by SDKs only", u)
	}
}
