// English: every area's message file (./en/<area>.json), gathered in one
// module so that loading the language is one import (see ../index.js).
export default import.meta.glob('./en/*.json', { eager: true, import: 'default' })
