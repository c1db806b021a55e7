import { useSnapshot } from '../../hooks/use-ops';

/**
 * Team mode: saved settings reach every engine, but an engine whose iCIMS credentials come from
 * its own environment keeps them. Name those engines before someone saves new credentials.
 */
export function TeamCredentialsNote() {
  const { data } = useSnapshot();
  if (!data?.team || !data.nodes) return null;
  const own = data.nodes.filter((node) => node.state === 'active' && node.credentialsFrom === 'environment');
  return (
    <p className="section-intro" data-testid="team-credentials-note">
      Team mode: what you save here applies to every engine of the team
      {own.length > 0 ? (
        <>
          {' '}
          except the credentials of <strong>{own.map((node) => node.name).join(', ')}</strong>, which{' '}
          {own.length === 1 ? 'takes its' : 'take their'} iCIMS credentials from{' '}
          {own.length === 1 ? 'its own environment' : 'their own environments'}: a save won&apos;t reach{' '}
          {own.length === 1 ? 'it' : 'them'}.
        </>
      ) : (
        '.'
      )}
    </p>
  );
}
