/**
 * The object store's credentials for `vigie import-bucket`, from the standard variables so that the secret never
 * appears on a command line or in shell history: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_REGION optional).
 */
export interface ObjectStoreEnv {
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
}

export function objectStoreEnv(env: NodeJS.ProcessEnv = process.env): ObjectStoreEnv {
  const value = (name: string) => env[name]?.trim() || undefined;
  return {
    accessKeyId: value('AWS_ACCESS_KEY_ID'),
    secretAccessKey: value('AWS_SECRET_ACCESS_KEY'),
    region: value('AWS_REGION') ?? value('AWS_DEFAULT_REGION'),
  };
}
