/**
 * Sources → Object storage: an S3-compatible bucket where a log shipper copies the replicas' closed log files
 * (docs/operations.md, "Logs across replicas"). Import now lists the prefix and imports the files not seen before.
 */
import { useState } from 'react';
import { useApp, useSlice } from '../app-context.tsx';
import { Panel } from '../components/common.tsx';

const EMPTY = { endpoint: '', bucket: '', prefix: '', region: '', accessKeyId: '', secretAccessKey: '' };

export function ObjectStorePanel() {
  const { sources } = useApp();
  const settings = useSlice(sources, (s) => s.settings);
  const busy = useSlice(sources, (s) => s.busy);
  const [form, setForm] = useState(EMPTY);
  const field = (name: keyof typeof EMPTY) => ({
    id: `object-store-${name}`,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  const stores = settings?.objectStores ?? [];

  return (
    <Panel
      title="Object storage"
      subtitle="log files shipped to an S3-compatible bucket; only new files are imported, the secret is never shown again"
    >
      <form
        className="inline-form"
        aria-label="Add an object store"
        onSubmit={(event) => {
          event.preventDefault();
          const { secretAccessKey, region, ...rest } = form;
          void sources
            .getState()
            .saveObjectStore({
              ...rest,
              ...(region ? { region } : {}),
              ...(secretAccessKey ? { secretAccessKey } : {}),
            })
            .then((saved) => {
              if (saved) setForm(EMPTY);
            });
        }}
      >
        <label htmlFor="object-store-endpoint">Endpoint</label>
        <input {...field('endpoint')} type="url" required placeholder="https://s3.example.com" />
        <label htmlFor="object-store-bucket">Bucket</label>
        <input {...field('bucket')} required placeholder="vigie-logs" />
        <label htmlFor="object-store-prefix">Prefix</label>
        <input {...field('prefix')} placeholder="production/" />
        <label htmlFor="object-store-region">Region</label>
        <input {...field('region')} placeholder="us-east-1" />
        <label htmlFor="object-store-accessKeyId">Access key ID</label>
        <input {...field('accessKeyId')} required autoComplete="off" />
        <label htmlFor="object-store-secretAccessKey">Secret access key</label>
        <input {...field('secretAccessKey')} type="password" required autoComplete="off" />
        <button type="submit">Save</button>
      </form>
      {stores.length > 0 ? (
        <table className="table" aria-label="Object stores">
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Secret</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {stores.map((store) => (
              <tr key={store.id}>
                <td>
                  s3://{store.bucket}/{store.prefix}
                </td>
                <td>{store.endpoint}</td>
                <td>{store.hasSecret ? 'stored' : 'none: enter it again'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void sources.getState().importObjectStore(store.id)}
                  >
                    Import now
                  </button>
                  <button type="button" onClick={() => void sources.getState().removeObjectStore(store.id)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
