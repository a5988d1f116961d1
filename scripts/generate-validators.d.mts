/** The path of the generated validators module. */
export const GENERATED_FILE: string;
/** The text validators.generated.ts must hold for the schema files as they are now. */
export function generateValidators(): string;
