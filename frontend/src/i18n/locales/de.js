// German: every area's message file (./de/<area>.json), gathered in one
// module so that loading the language is one import (see ../index.js).
export default import.meta.glob('./de/*.json', { eager: true, import: 'default' })
