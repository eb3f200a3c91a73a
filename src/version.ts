/** feedwright's name, home and version (kept equal to package.json by a test). */
export const GENERATOR = { name: 'feedwright', uri: 'https://github.com/feedwright/feedwright', version: '0.1.0' } as const;
