// This language's message files, one per area of the app. The build makes
// them one chunk with a fixed name (assets/messages-<language>.js), loaded
// when the language is first shown; index.html starts loading the start
// language's chunk before the app's scripts have arrived.
export default import.meta.glob('./*.json', { eager: true, import: 'default' })
