package apksig

// Publicly known signing keys. Anyone holding the AOSP source tree, the
// apksig test resources or appxray's repository can sign with them, so an
// APK signed by one proves nothing about who built it.
//
// The AOSP keys (build/make/target/product/security) are listed by the
// SHA-1 of their certificates, the form in which they are usually
// published; the apksig test certificates by the SHA-256 apksigner prints
// for the golden APKs of its test suite, and appxray's own test key by the
// SHA-256 its README gives.
var wellKnownSHA1 = map[string]string{
	"61ed377e85d386a8dfee6b864bd85b0bfaa5af81": "AOSP testkey",
	"27196e386b875e76adf700e7ea84e4c6eee33dfa": "AOSP platform test key",
	"5b368cff2da2686996bc95eac190eaa4f5630fe5": "AOSP shared test key",
	"b79df4a82e90b57ea76525ab7037ab238a42f5d3": "AOSP media test key",
}

var wellKnownSHA256 = map[string]string{
	"a40da80a59d170caa950cf15c18c454d47a39b26989d8b640ecd745ba71bf5dc": "AOSP testkey",
	"fee7c19ff9bfb4197b3727b9fd92d95406b1bd96db99ea642f5faac019a389d7": "apksig test key (CN=dsa-1024)",
	"97cce0bab292c2d5afb9de90e1810b41a5d25c006a10d10982896aa12ab35a9e": "apksig test key (CN=dsa-2048)",
	"966a4537058d24098ea213f12d4b24e37ff5a1d8f68deb8a753374881f23e474": "apksig test key (CN=dsa-3072)",
	"6a8b96e278e58f62cfe3584022cec1d0527fcb85a9e5d2e1694eb0405be5b599": "apksig test key (CN=ec-p256)",
	"5e7777ada7ee7ce8f9c4d1b07094876e5604617b7988b4c5d5b764a23431afbe": "apksig test key (CN=ec-p384)",
	"69b50381d98bebcd27df6d7df8af8c8b38d0e51e9168a95ab992d1a9da6082da": "apksig test key (CN=ec-p521)",
	"bc5e64eab1c4b5137c0fbc5ed05850b3a148d1c41775cffa4d96eea90bdd0eb8": "apksig test key (CN=rsa-1024)",
	"c5d4535a7e1c8111687a8374b2198da6f5ff8d811a7a25aa99ef060669342fa9": "apksig test key (CN=rsa-1024)",
	"da3da398de674541313deed77218ce94798531ea5131bb9b1bb4063ba4548cfb": "apksig test key (CN=rsa-1024)",
	"fb5dbd3c669af9fc236c6991e6387b7f11ff0590997f22d0f5c74ff40e04fca8": "apksig test key (CN=rsa-2048)",
	"681b0e56a796350c08647352a4db800cc44b2adc8f4c72fa350bd05d4d50264d": "apksig test key (CN=rsa-2048_2)",
	"bb77a72efc60e66501ab75953af735874f82cfe52a70d035186a01b3482180f3": "apksig test key (CN=rsa-2048_3)",
	"483934461229a780010bc07cd6eeb0b67025fc4fe255757abbf5c3f2ed249e89": "apksig test key (CN=rsa-3072)",
	"6a46158f87753395a807edcc7640ac99c9125f6b6e025bdbf461ff281e64e685": "apksig test key (CN=rsa-4096)",
	"060d0a24fea9b60d857225873f78838e081795f7ef2d1ea401262bbd75a58234": "apksig test key (CN=rsa-8192)",
	"f3c6b37909f6df310652fbd7c55ec27d3079dcf695dc6e75e22ba7c4e1c95601": "apksig test key (CN=rsa-16384)",
	// appxray's own public test key (testdata/testkey), whose private key
	// and password the repository publishes: it signs the project's test
	// apps and the demo app.
	"0b5056f4237e5d3b67168446ad1373de068a9a7956140f4e9f4bd78d7fa644ae": "appxray public test key",
}

// debugDN is the subject the Android SDK gives every generated debug
// keystore; each developer's key differs, but it is never a release key.
const debugDN = "CN=Android Debug, O=Android, C=US"

func wellKnown(c *Certificate) string {
	if n := wellKnownSHA256[c.SHA256]; n != "" {
		return n
	}
	if n := wellKnownSHA1[c.SHA1]; n != "" {
		return n
	}
	if c.Subject == debugDN || c.Subject == "C=US, O=Android, CN=Android Debug" {
		return "Android debug key (CN=Android Debug)"
	}
	return ""
}
